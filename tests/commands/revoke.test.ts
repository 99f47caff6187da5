// zt revoke and zt device lost: what reached the emulator (revoke_user calls, revoked registrations)
// and the users.yaml edit printed for the admin.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { zt } from "./helpers/project";
import { admin, seedDevices } from "./helpers/seed";
import { startWorld, World } from "./helpers/world";

interface Registration {
  id: string;
  user: { email: string };
  device: { id: string; serial_number?: string };
  revoked_at: string | null;
}

describe("zt revoke / zt device lost", () => {
  let w: World;
  let regs: Array<{ id: string; device: { id: string } }>;
  const registrations = async () => (await admin(w.emu, "GET", "/registrations")) as Registration[];
  const revocations = async () => (await admin(w.emu, "GET", "/revocations")) as Array<{ email: string }>;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    await w.reset();
    regs = await seedDevices(w.emu, [
      { email: "alice@example.org", serial: "C02XL0GHJGH5", lastSeen: "2026-11-23T10:00:00Z" },
      { email: "bob@example.org", serial: "5CG1234XYZ", lastSeen: "2026-11-23T10:00:00Z" },
      { email: "bob@example.org", serial: "PF2ABCDE", lastSeen: "2026-11-23T10:00:00Z" },
      { email: "erin@example.org", serial: "H2WXK9PQ", lastSeen: "2026-10-30T10:00:00Z" },
      { email: "zoe@example.org", serial: "ZOE00001", lastSeen: "2026-11-01T10:00:00Z" },
    ]);
  });

  it("refuses to revoke someone still active in users.yaml, and changes nothing", async () => {
    const run = await zt(w.project, ["revoke", "bob@example.org"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "refused: bob@example.org is still an active user in users.yaml (lines 13-21), so the next `npm run up` would let them back in.",
    );
    expect(run.stderr).toContain("or run again with --force");
    expect(await revocations()).toEqual([]);
    expect((await registrations()).every((r) => !r.revoked_at)).toBe(true);
    expect(w.emu.requests()).toEqual([]);
  });

  it("revokes with --force: sessions and every registration of that person, with the lines to delete", async () => {
    const run = await zt(w.project, ["revoke", "Bob@Example.org", "--force"]);
    expect(run.code).toBe(0);
    expect((await revocations()).map((r) => r.email)).toEqual(["bob@example.org"]);
    const after = await registrations();
    expect(after.filter((r) => r.revoked_at).map((r) => r.user.email)).toEqual([
      "bob@example.org",
      "bob@example.org",
    ]);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(
      "Revoked the Access sessions of bob@example.org: every application asks them to sign in again.",
    );
    expect(lines[1]).toMatch(/^Revoked 2 WARP registrations: [0-9a-f-]{36}, [0-9a-f-]{36}$/);
    expect(lines[2]).toBe(
      "Reminder: bob@example.org is still in users.yaml (lines 13-21). Delete these lines and merge, or the next `npm run up` lets them back in:",
    );
    expect(lines[3]).toBe("    13 |   - email: bob@example.org");
    expect(lines.at(-1)).toBe("    21 |         label: build workstation");
  });

  it("revokes someone no longer in users.yaml without --force, and says nothing is left to remove", async () => {
    const run = await zt(w.project, ["revoke", "zoe@example.org"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Revoked 1 WARP registration: ");
    expect(run.stdout).toContain(
      "Reminder: zoe@example.org is not in users.yaml, so nothing is left to remove there. Check for later sign-in attempts: npm run zt -- audit --email zoe@example.org --since 7d",
    );
    expect((await revocations()).map((r) => r.email)).toEqual(["zoe@example.org"]);
  });

  it("revokes an expired user without --force and asks to delete the stale entry", async () => {
    const run = await zt(w.project, ["revoke", "erin@example.org"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "Reminder: erin@example.org expired on 2026-10-31 but is still written in users.yaml (lines 36-41)",
    );
  });

  it("refuses something that is not an email", async () => {
    expect(await zt(w.project, ["revoke", "bob"])).toMatchObject({
      code: 64,
      stderr: 'zt revoke: "bob" is not an email address; usage: npm run zt -- revoke EMAIL',
    });
    expect(await zt(w.project, ["revoke"])).toMatchObject({
      code: 64,
      stderr: "zt revoke: which person? usage: npm run zt -- revoke EMAIL [--force]",
    });
  });

  it("device lost: revokes that device only and prints the exact users.yaml edit", async () => {
    const run = await zt(w.project, ["device", "lost", "PF2ABCDE"]);
    expect(run.code).toBe(0);
    const after = await registrations();
    const pf = regs[2].id;
    expect(after.filter((r) => r.revoked_at).map((r) => r.id)).toEqual([pf]);
    expect(run.stdout.split("\n")).toEqual([
      `Revoked 1 WARP registration of device PF2ABCDE: ${pf}`,
      "Edit users.yaml: delete lines 19-21, device PF2ABCDE (linux, build workstation) of bob@example.org (user at line 13), then merge:",
      "-   19 |       - serial: PF2ABCDE",
      "-   20 |         os: linux",
      "-   21 |         label: build workstation",
      "Until the edit is merged and applied, the serial stays in the posture list: a re-enrolled device with it would pass the device check.",
      "Next (runbook): end bob@example.org's Access sessions: npm run zt -- revoke bob@example.org --force; check recent sign-ins: npm run zt -- audit --email bob@example.org --since 7d",
    ]);
    expect(await revocations()).toEqual([]); // sessions are the admin's next step, not silently done
  });

  it("device lost: says so when it is the owner's only device, and accepts any case", async () => {
    const run = await zt(w.project, ["device", "lost", "r90x2y3z"]);
    expect(run.stdout).toContain("No active WARP registration of a device with serial r90x2y3z was found");
    expect(run.stdout).toContain(
      "Edit users.yaml: delete lines 33-34, device R90X2Y3Z (spare laptop) of dan@example.org (user at line 30), then merge:",
    );
    expect(run.stdout).toContain(
      "It is dan@example.org's only device: put the replacement's serial in its place, or write `devices: []` at line 32",
    );
  });

  it("device lost: a serial not in users.yaml is still revoked", async () => {
    const run = await zt(w.project, ["device", "lost", "ZOE00001"]);
    expect(run.stdout.split("\n")).toEqual([
      `Revoked 1 WARP registration of device ZOE00001: ${regs[4].id}`,
      "ZOE00001 is not in users.yaml: no edit is needed there.",
    ]);
    expect(await zt(w.project, ["device", "lost", "not a serial!"])).toMatchObject({ code: 64 });
    expect(await zt(w.project, ["device", "found", "X"])).toMatchObject({
      code: 64,
      stderr: 'zt device: unknown subcommand "found"; usage: npm run zt -- device lost SERIAL',
    });
  });

  it("does not let a broken users.yaml block an urgent revocation (with --force), and says so", async () => {
    w.project.write({
      ...w.options,
      usersYaml: "users:\n  - email: bob@example.org\n    devices: [{ serial: 'bad serial' }]\n",
    });
    const refused = await zt(w.project, ["revoke", "bob@example.org"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.split("\n")[0]).toBe(
      "zt revoke: cannot use users.yaml: 1 problem (npm run validate shows the same); zt cannot tell whether bob@example.org is still listed: fix it, or pass --force to revoke anyway",
    );
    expect(w.emu.requests()).toEqual([]);
    const forced = await zt(w.project, ["revoke", "bob@example.org", "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stderr.split("\n")[0]).toContain("revoking anyway (--force), without checking users.yaml");
    expect((await revocations()).map((r) => r.email)).toEqual(["bob@example.org"]);
    const lost = await zt(w.project, ["device", "lost", "C02XL0GHJGH5"]);
    expect(lost.code).toBe(0);
    expect(lost.stdout).toContain(`Revoked 1 WARP registration of device C02XL0GHJGH5: ${regs[0].id}`);
    expect(lost.stdout).toContain("Remove C02XL0GHJGH5 from users.yaml once the file is fixed, then merge.");
  });
});
