// A thousand users on the real engine: `up` from empty finishes within a budget and puts every email
// and serial into Cloudflare's lists, no list over the 1,000-entry limit; a preview right after
// proposes nothing; the 1,001st user starts a second email list instead of overflowing the first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateUsers, renderUsersYaml, type GeneratedUser } from "../fixtures/generate-users";
import { openProductStack, type ProductStack } from "./helpers/product-stack";
import { capture, describeRequest, describeSteps, listsOfType, writeRequests } from "./helpers/product-run";

const LIMIT = 1000;
const USERS = generateUsers(1000);
/** What an admin can wait for when onboarding a whole company; the run is stopped (SIGINT) past it. */
const UP_BUDGET_MS = 5 * 60_000;

function expectedSerials(users: GeneratedUser[], os: string): string[] {
  return users.flatMap((u) => u.devices.filter((d) => d.os === os || d.os === undefined).map((d) => d.serial)).sort();
}

describe("1,000 users", () => {
  let product: ProductStack;
  let resourceCount = 0;
  let upMs = 0;
  let upError: unknown;
  let createdBeforeStop = 0;

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: renderUsersYaml(USERS), name: "zt-e2e-scale" });
    const run = capture();
    const budget = AbortSignal.timeout(UP_BUDGET_MS);
    const started = Date.now();
    try {
      const up = await product.stack.up({ ...run.opts, signal: budget });
      expect(up.summary.result).toBe("succeeded");
      resourceCount = up.summary.resourceChanges?.create ?? 0;
    } catch (e) {
      upError = e;
      createdBeforeStop = run.events.filter((e) => e.resOutputsEvent?.metadata.op === "create").length;
    }
    upMs = Date.now() - started;
  }, UP_BUDGET_MS + 120_000);

  /** The later checks need the whole stack; say so instead of failing on its consequences. */
  const requireCompleteUp = () => {
    if (upError) throw new Error(`needs a complete up of 1,000 users; it was stopped or failed: ${String(upError).split("\n")[0]}`);
  };

  it(`up from empty finishes within ${UP_BUDGET_MS / 60_000} minutes`, () => {
    const grants = USERS.length + USERS.reduce((a, u) => a + u.devices.length, 0);
    expect(upError, `up stopped after ${Math.round(upMs / 1000)} s with ${createdBeforeStop} resources created (${grants} grants and about 30 others declared)`).toBeUndefined();
    expect(upMs).toBeLessThan(UP_BUDGET_MS);
  });

  afterAll(async () => {
    await product?.close();
  });

  it("up puts every email and serial into the lists, at most 1,000 entries per list", () => {
    requireCompleteUp();
    const emu = product.emulator;
    for (const l of emu.state.data.lists) expect(l.items.length, `${l.name}`).toBeLessThanOrEqual(LIMIT);
    const emails = listsOfType(emu, "EMAIL");
    expect(emails.map((l) => l.items.length)).toEqual([1000]);
    expect(emails.flatMap((l) => l.items.map((i) => i.value)).sort()).toEqual(USERS.map((u) => u.email).sort());
    for (const os of ["macos", "windows", "linux"]) {
      const lists = listsOfType(emu, "SERIAL").filter((l) => l.name.startsWith(`zt-gitops ${os} serials `));
      const expected = expectedSerials(USERS, os);
      expect(lists.map((l) => l.items.length), os).toEqual(Array.from({ length: Math.ceil(expected.length / LIMIT) }, (_, i) => Math.min(LIMIT, expected.length - i * LIMIT)));
      expect(lists.flatMap((l) => l.items.map((i) => i.value)).sort()).toEqual(expected);
    }
    // One grant per user and per device, plus the fixed resources.
    const devices = USERS.reduce((a, u) => a + u.devices.length, 0);
    expect(resourceCount).toBeGreaterThan(USERS.length + devices);
  });

  it("a preview right after reports every resource same and writes nothing", async () => {
    requireCompleteUp();
    product.emulator.clearRequests();
    const run = capture();
    const preview = await product.stack.preview({ ...run.opts, diff: true });
    expect(describeSteps(run.steps().filter((s) => s.op !== "same"))).toEqual([]);
    expect(preview.changeSummary).toEqual({ same: resourceCount });
    expect(writeRequests(product.emulator.requests()).map(describeRequest)).toEqual([]);
  });

  it("the 1,001st user starts a second email list; the policy includes both", async () => {
    requireCompleteUp();
    const newcomer: GeneratedUser = { email: "zz.newcomer@example.org", name: "Zz Newcomer", devices: [{ serial: "C02NEWCOMER1", os: "macos" }] };
    product.writeUsers(renderUsersYaml([...USERS, newcomer]));
    const run = capture();
    await product.stack.up(run.opts);
    const changed = run.steps().filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`).sort();
    expect(changed).toEqual([
      "create access-emails-1",
      "create revoke-on-removal-device-C02NEWCOMER1",
      "create revoke-on-removal-user-zz.newcomer@example.org",
      "update access-allow",
      "update posture-serials-macos-0",
    ]);
    const emails = listsOfType(product.emulator, "EMAIL");
    expect(emails.map((l) => [l.name, l.items.length])).toEqual([["zt-gitops users 1", 1000], ["zt-gitops users 2", 1]]);
    const [policy] = product.emulator.state.data.access.policies;
    expect(policy.include.map((i: { email_list: { id: string } }) => i.email_list.id).sort()).toEqual(emails.map((l) => l.id).sort());
  });
});
