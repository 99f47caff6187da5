// zt review: users.yaml joined with the Access log (last sign-in) and WARP devices (last contact).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { zt } from "./helpers/project";
import { seedDevices, seedSignIns } from "./helpers/seed";
import { startWorld, World } from "./helpers/world";

// NOW is 2026-11-23T12:00:00Z.
describe("zt review", () => {
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
      { email: "bob@example.org", serial: "5CG1234XYZ", lastSeen: "2026-08-01T10:00:00Z" },
      { email: "dan@example.org", serial: "r90x2y3z", lastSeen: "2026-11-01T10:00:00Z" }, // WARP reports it in lower case
    ]);
    await seedSignIns(w.emu, [
      { email: "alice@example.org", at: "2026-11-23T10:00:00Z" },
      { email: "alice@example.org", at: "2026-11-20T10:00:00Z" },
      { email: "bob@example.org", at: "2026-08-01T10:00:00Z" }, // 114 days ago
      { email: "dan@example.org", at: "2026-11-01T10:00:00Z" }, // 22 days ago
      { email: "dan@example.org", at: "2026-11-22T10:00:00Z", allowed: false }, // a denial is not "seen"
    ]);
  });

  it("writes a Markdown report: users, last sign-in, device contact, not seen, never seen, expired", async () => {
    const run = await zt(w.project, ["review", "--plan", "enterprise", "--days", "30"]);
    expect(run.code).toBe(0);
    const md = run.stdout;
    expect(md).toContain("# Access review: stack local, 2026-11-23");
    expect(md).toContain("users.yaml: 5 users (4 active, 1 expired), 6 devices.");
    expect(md).toContain(
      "Sign-ins from the Access log since 2026-05-27 12:00:00 UTC (Enterprise plan, Access logs kept 180 days)",
    );
    expect(md).toContain(
      "| alice@example.org | Alice Example | - | 2026-11-23 10:00 | C02XL0GHJGH5 (macos, work laptop): 2026-11-23 10:00 | line 6 |",
    );
    expect(md).toContain(
      "| carol@example.org | Carol Contractor | 2026-12-01 (8 days left) | none since 2026-05-27 | FVFZK1ABQ6L4 (macos): never seen | line 23 |",
    );
    expect(md).toContain("R90X2Y3Z (any OS, spare laptop): 2026-11-01 10:00");
    const notSeen = md.slice(md.indexOf("## Not seen for 30 days"), md.indexOf("## Devices never seen"));
    expect(notSeen).toContain("- bob@example.org (users.yaml line 13): last sign-in 2026-08-01 10:00 UTC");
    expect(notSeen).toContain("- carol@example.org (users.yaml line 23): no sign-in in the log");
    expect(notSeen).not.toContain("alice@example.org");
    expect(notSeen).not.toContain("dan@example.org");
    expect(notSeen).not.toContain("erin@example.org"); // expired: listed for deletion instead
    const never = md.slice(md.indexOf("## Devices never seen"), md.indexOf("## Expired but still listed"));
    expect(never).toContain("- PF2ABCDE (linux, build workstation) of bob@example.org (users.yaml line 19)");
    expect(never).toContain("- FVFZK1ABQ6L4 (macos) of carol@example.org (users.yaml line 27)");
    expect(never).not.toContain("C02XL0GHJGH5");
    expect(never).not.toContain("R90X2Y3Z");
    expect(md).toContain("- erin@example.org expired 2026-10-31 (users.yaml line 36): delete the entry");
  });

  it("says 'not seen' is limited by the log when the plan keeps less than --days", async () => {
    const run = await zt(w.project, ["review", "--days", "30"]);
    expect(run.stdout).toContain(
      'The log does not reach back 30 days: "not seen" below means not seen in the last 24h.',
    );
    expect(run.stdout).toContain("## Not seen for 24h");
    // dan signed in 22 days ago, but a Free account's log no longer shows it
    expect(run.stdout).toContain("- dan@example.org (users.yaml line 30): no sign-in in the log");
  });

  it("writes CSV, one row per device, with a spreadsheet-safe header", async () => {
    const run = await zt(w.project, ["review", "--format", "csv", "--plan", "enterprise", "--days", "60"]);
    const rows = run.stdout.split("\n");
    expect(rows[0]).toBe(
      "email,name,expires,status,last_sign_in,not_seen_60d,device_serial,device_os,device_label,device_last_seen,device_never_seen,users_yaml_line",
    );
    expect(rows).toHaveLength(1 + 6);
    expect(rows).toContain(
      "alice@example.org,Alice Example,,active,2026-11-23T10:00:00Z,no,C02XL0GHJGH5,macos,work laptop,2026-11-23T10:00:00Z,no,9",
    );
    expect(rows).toContain(
      "bob@example.org,Bob Builder,,active,2026-08-01T10:00:00Z,yes,PF2ABCDE,linux,build workstation,,yes,19",
    );
    expect(rows).toContain("erin@example.org,Erin Former,2026-10-31,expired,,no,H2WXK9PQ,macos,,,yes,40");
    expect(run.stderr).toContain(
      "review: 5 users, 2 not seen for 60 days, 2 devices never seen (active users); Enterprise plan",
    );
  });

  it("refuses an unknown format and a bad --days", async () => {
    expect(await zt(w.project, ["review", "--format", "xlsx"])).toMatchObject({
      code: 64,
      stderr: 'zt review: --format must be md or csv (got "xlsx")',
    });
    expect(await zt(w.project, ["review", "--days", "-3"])).toMatchObject({ code: 64 });
  });
});
