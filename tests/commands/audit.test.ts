// zt audit against sign-in events seeded into the emulator's Access log.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { zt } from "./helpers/project";
import { seedDevices, seedSignIns } from "./helpers/seed";
import { startWorld, World } from "./helpers/world";

// NOW is 2026-11-23T12:00:00Z.
const EVENTS = [
  { email: "alice@example.org", at: "2026-11-23T10:00:00Z", device_id: "dev-c02xl0ghjgh5" },
  { email: "mallory@example.org", at: "2026-11-23T11:00:00Z", allowed: false },
  { email: "bob@example.org", at: "2026-11-23T11:30:00Z", allowed: false },
  { email: "jimbob@example.org", at: "2026-11-23T11:40:00Z", allowed: false },
  { email: "erin@example.org", at: "2026-11-23T09:00:00Z", allowed: false },
  { email: "alice@example.org", at: "2026-11-23T08:00:00Z", allowed: false, app: "wiki.example.org" },
  { email: "carol@example.org", at: "2026-11-20T12:00:00Z" }, // 3 days ago
  { email: "dan@example.org", at: "2026-09-01T12:00:00Z" }, // 83 days ago
];

describe("zt audit", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    await w.reset();
    await seedDevices(w.emu, [
      {
        email: "alice@example.org",
        serial: "C02XL0GHJGH5",
        lastSeen: "2026-11-23T10:00:00Z",
        name: "alice-mbp",
      },
    ]);
    await seedSignIns(w.emu, EVENTS);
  });

  it("prints the last 24h as a table, newest first, with reasons worked out from users.yaml", async () => {
    const run = await zt(w.project, ["audit"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+EMAIL\s+APP\s+RESULT\s+REASON\s+DEVICE$/);
    const rows = lines.slice(1, -1).map((l) => l.split(/\s{2,}/));
    expect(rows).toEqual([
      ["2026-11-23 11:40:00", "jimbob@example.org", "ocs.example.org", "denied", "not in users.yaml", "-"],
      [
        "2026-11-23 11:30:00",
        "bob@example.org",
        "ocs.example.org",
        "denied",
        "email allowed: device check failed or WARP off",
        "-",
      ],
      ["2026-11-23 11:00:00", "mallory@example.org", "ocs.example.org", "denied", "not in users.yaml", "-"],
      [
        "2026-11-23 10:00:00",
        "alice@example.org",
        "ocs.example.org",
        "allowed",
        "-",
        "C02XL0GHJGH5 (alice-mbp)",
      ],
      ["2026-11-23 09:00:00", "erin@example.org", "ocs.example.org", "denied", "expired 2026-10-31", "-"],
      [
        "2026-11-23 08:00:00",
        "alice@example.org",
        "wiki.example.org",
        "denied",
        "not an application of this stack",
        "-",
      ],
    ]);
    expect(lines.at(-1)).toBe(
      "6 events (1 allowed, 5 denied) from 2026-11-22 12:00:00 to 2026-11-23 12:00:00 UTC",
    );
    expect(run.stderr).toBe("");
  });

  it("filters by exact email and by denied", async () => {
    const bob = await zt(w.project, ["audit", "--email", "BOB@example.org"]);
    expect(bob.stdout).toContain("bob@example.org");
    expect(bob.stdout).not.toContain("jimbob@example.org");
    expect(bob.stdout.split("\n").at(-1)).toContain("1 event (0 allowed, 1 denied)");
    const denied = await zt(w.project, ["audit", "--denied"]);
    expect(denied.stdout).not.toContain("allowed  ");
    expect(denied.stdout.split("\n").at(-1)).toContain("5 events (0 allowed, 5 denied)");
    const none = await zt(w.project, ["audit", "--email", "nobody@example.org"]);
    expect(none.stdout).toBe(
      "No Access sign-in events from 2026-11-22 12:00:00 to 2026-11-23 12:00:00 UTC (email nobody@example.org).",
    );
  });

  it("prints JSON with --json, notes on stderr only", async () => {
    const run = await zt(w.project, ["audit", "--json", "--since", "7d", "--denied"]);
    const rows = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(5);
    expect(rows[1]).toMatchObject({
      time: "2026-11-23T11:30:00Z",
      email: "bob@example.org",
      app: "ocs.example.org",
      allowed: false,
      reason: "email allowed: device check failed or WARP off",
      device: null,
      ip_address: "198.51.100.7",
    });
    expect(run.stderr).toContain(
      "note: the Free plan keeps Access logs for 24h (plan assumed; pass --plan or set zt-cli:plan)",
    );
  });

  it("says when the plan's log retention cuts the window short: flag, stack setting, or nothing to say", async () => {
    const free = await zt(w.project, ["audit", "--since", "7d"]);
    expect(free.stderr).toBe(
      "note: the Free plan keeps Access logs for 24h (plan assumed; pass --plan or set zt-cli:plan): nothing before 2026-11-22 12:00:00 UTC can be shown, although --since asked from 2026-11-16 12:00:00; export logs with Logpush (Enterprise) to keep them longer",
    );
    expect(free.stdout).toContain("carol@example.org"); // the emulator keeps everything; the note is about Cloudflare
    const standard = await zt(w.project, ["audit", "--since", "7d", "--plan", "standard"]);
    expect(standard.stderr).toBe("");
    const long = await zt(w.project, ["audit", "--since", "90d", "--plan", "standard"]);
    expect(long.stderr).toContain(
      "the Standard plan keeps Access logs for 30 days: nothing before 2026-10-24 12:00:00 UTC",
    );
    w.project.write({ ...w.options, extra: { "zt-cli:plan": "enterprise" } });
    const enterprise = await zt(w.project, ["audit", "--since", "90d"]);
    expect(enterprise.stderr).toBe("");
    expect(enterprise.stdout).toContain("dan@example.org");
  });

  it("reads every page of a long log", async () => {
    await seedSignIns(
      w.emu,
      Array.from({ length: 1500 }, (_, i) => ({
        email: `u${i}@example.org`,
        at: new Date(Date.parse("2026-11-23T06:00:00Z") + i * 1000).toISOString(),
      })),
    );
    w.emu.clearRequests();
    const run = await zt(w.project, ["audit", "--json"]);
    expect(JSON.parse(run.stdout)).toHaveLength(1506);
    const pages = w.emu
      .requests()
      .filter((r) => r.path.endsWith("/access_requests"))
      .map((r) => new URLSearchParams(r.query).get("page"));
    expect(pages).toEqual(["1", "2", "3"]);
  });

  it("refuses a bad --since or --plan with a usage line", async () => {
    const since = await zt(w.project, ["audit", "--since", "yesterday"]);
    expect(since.code).toBe(64);
    expect(since.stderr).toBe(
      'zt audit: --since must be a duration such as 24h, 7d, 90m, 2w, or a date such as 2026-11-01 (got "yesterday")',
    );
    const plan = await zt(w.project, ["audit", "--plan", "pro"]);
    expect(plan.code).toBe(64);
    expect(plan.stderr).toBe('zt audit: --plan must be free, standard or enterprise (got "pro")');
    const date = await zt(w.project, ["audit", "--since", "2026-11-20", "--plan", "enterprise"]);
    expect(date.stdout.split("\n").at(-1)).toContain("from 2026-11-20 00:00:00 to 2026-11-23 12:00:00 UTC");
  });
});
