// zt expire: offline, from users.yaml alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, Project, zt } from "./helpers/project";

describe("zt expire", () => {
  let p: Project;
  beforeAll(() => {
    // Nothing listens here: expire must not need the API (or a token).
    p = makeProject({ baseUrl: "http://127.0.0.1:9/client/v4" });
  });
  afterAll(() => p.remove());

  it("lists the expired and the expiring within 14 days, soonest first, without a token", async () => {
    const run = await zt(p, ["expire"], { env: { CLOUDFLARE_API_TOKEN: undefined } });
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n")).toEqual([
      "EMAIL              NAME              EXPIRES     STATUS               WHERE",
      "erin@example.org   Erin Former       2026-10-31  expired 23 days ago  users.yaml:36",
      "carol@example.org  Carol Contractor  2026-12-01  8 days left          users.yaml:23",
      "2 users: 1 expired (left out of every list; delete the entries), 1 expiring by 2026-12-07 (extend `expires` if they still need access)",
    ]);
  });

  it("honours --days and exits 0 when nobody is due", async () => {
    const short = await zt(p, ["expire", "--days", "3"]);
    expect(short.stdout).toContain("erin@example.org");
    expect(short.stdout).not.toContain("carol@example.org");
    const before = await zt(p, ["expire", "--days", "0"], { now: new Date("2026-10-01T08:00:00Z") });
    expect(before).toMatchObject({
      code: 0,
      stdout: "Nobody in users.yaml has expired or expires by 2026-10-01 (today 2026-10-01 + 0 days).",
    });
    const lastDay = await zt(p, ["expire"], { now: new Date("2026-10-31T23:00:00Z") });
    expect(lastDay.stdout).toMatch(/erin@example\.org\s+Erin Former\s+2026-10-31\s+last day today/);
  });

  it("reports users.yaml problems with their positions, exit 1", async () => {
    const broken = makeProject({
      baseUrl: "http://127.0.0.1:9/client/v4",
      usersYaml: "users:\n  - email: not-an-email\n    devices: []\n",
    });
    const run = await zt(broken, ["expire"]);
    broken.remove();
    expect(run.code).toBe(1);
    expect(run.stderr.split("\n")[0]).toBe(
      "zt expire: cannot use users.yaml: 1 problem (npm run validate shows the same)",
    );
    expect(run.stderr.split("\n")[1]).toMatch(/^ {2}users\.yaml:2:\d+: .*email/);
  });
});
