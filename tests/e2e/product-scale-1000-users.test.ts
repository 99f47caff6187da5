// A thousand users on the real engine: `up` from empty puts every email and serial into Cloudflare's
// lists, no list over the 1,000-entry limit, and every user and serial into the one revocation ledger; a
// preview right after proposes nothing and writes nothing; the 1,001st user starts a second email list
// instead of overflowing the first. How long it takes is measured by `npm run bench`, not asserted here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateUsers, renderUsersYaml, type GeneratedUser } from "../../bench/harness/generate-users";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import {
  capture,
  deployedGrants,
  describeRequest,
  describeSteps,
  LEDGER_TYPE,
  ledgerChange,
  listsOfType,
  writeRequests,
} from "../../bench/harness/product-run";

const LIMIT = 1000;
const USERS = generateUsers(1000);
/** Generous: a correctness test, not a speed test; only a hung engine gets near it. */
const UP_TIMEOUT_MS = 30 * 60_000;

function expectedSerials(users: GeneratedUser[], os: string): string[] {
  return users
    .flatMap((u) => u.devices.filter((d) => d.os === os || d.os === undefined).map((d) => d.serial))
    .sort();
}

describe("1,000 users", () => {
  let product: ProductStack;
  let resourceCount = 0;
  let dynamicResources = 0;

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: renderUsersYaml(USERS), name: "zt-e2e-scale" });
    const run = capture();
    const up = await product.stack.up(run.opts);
    expect(up.summary.result).toBe("succeeded");
    resourceCount = up.summary.resourceChanges?.create ?? 0;
    dynamicResources = run.steps().filter((s) => s.type === LEDGER_TYPE).length;
  }, UP_TIMEOUT_MS);

  afterAll(async () => {
    await product?.close();
  });

  it("up puts every email and serial into the lists, at most 1,000 entries per list", () => {
    const emu = product.emulator;
    for (const l of emu.state.data.lists) expect(l.items.length, `${l.name}`).toBeLessThanOrEqual(LIMIT);
    const emails = listsOfType(emu, "EMAIL");
    expect(emails.map((l) => l.items.length)).toEqual([1000]);
    expect(emails.flatMap((l) => l.items.map((i) => i.value)).sort()).toEqual(
      USERS.map((u) => u.email).sort(),
    );
    for (const os of ["macos", "windows", "linux"]) {
      const lists = listsOfType(emu, "SERIAL").filter((l) => l.name.startsWith(`zt-gitops ${os} serials `));
      const expected = expectedSerials(USERS, os);
      expect(
        lists.map((l) => l.items.length),
        os,
      ).toEqual(
        Array.from({ length: Math.ceil(expected.length / LIMIT) }, (_, i) =>
          Math.min(LIMIT, expected.length - i * LIMIT),
        ),
      );
      expect(lists.flatMap((l) => l.items.map((i) => i.value)).sort()).toEqual(expected);
    }
  });

  it("one revocation ledger holds every user with every serial of theirs; the stack's size does not grow with users", async () => {
    expect(dynamicResources).toBe(1);
    const grants = await deployedGrants(product.stack);
    expect(Object.keys(grants ?? {}).sort()).toEqual(USERS.map((u) => u.email).sort());
    for (const u of USERS) expect(grants?.[u.email], u.email).toEqual(u.devices.map((d) => d.serial).sort());
    // The fixed resources plus one list per 1,000 entries: tens, not one per user or device.
    expect(resourceCount).toBeLessThan(60);
  });

  it("a preview right after reports every resource same and writes nothing", async () => {
    product.emulator.clearRequests();
    const run = capture();
    const preview = await product.stack.preview({ ...run.opts, diff: true });
    expect(describeSteps(run.steps().filter((s) => s.op !== "same"))).toEqual([]);
    expect(preview.changeSummary).toEqual({ same: resourceCount });
    expect(writeRequests(product.emulator.requests()).map(describeRequest)).toEqual([]);
  });

  it("the 1,001st user starts a second email list; the policy includes both", async () => {
    const newcomer: GeneratedUser = {
      email: "zz.newcomer@example.org",
      name: "Zz Newcomer",
      devices: [{ serial: "C02NEWCOMER1", os: "macos" }],
    };
    product.writeUsers(renderUsersYaml([...USERS, newcomer]));
    const run = capture();
    await product.stack.up(run.opts);
    const changed = run
      .steps()
      .filter((s) => s.op !== "same")
      .map((s) => `${s.op} ${s.name}`)
      .sort();
    expect(changed).toEqual([
      "create access-emails-1",
      "update access-allow",
      "update posture-serials-macos-0",
      "update revoke-on-removal-ledger",
    ]);
    const ledger = ledgerChange(run.events);
    expect(ledger.revokes).toEqual({ users: [], devices: [] });
    expect(ledger.after?.["zz.newcomer@example.org"]).toEqual(["C02NEWCOMER1"]);
    const emails = listsOfType(product.emulator, "EMAIL");
    expect(emails.map((l) => [l.name, l.items.length])).toEqual([
      ["zt-gitops users 1", 1000],
      ["zt-gitops users 2", 1],
    ]);
    const [policy] = product.emulator.state.data.access.policies;
    expect(policy.include.map((i: { email_list: { id: string } }) => i.email_list.id).sort()).toEqual(
      emails.map((l) => l.id).sort(),
    );
  });
});
