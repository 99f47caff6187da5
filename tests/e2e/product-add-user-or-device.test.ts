// Adding a person or a laptop is a small, safe change on the real engine: the preview updates list
// resources and the revocation ledger (which gains them and revokes nobody), nothing else, and nothing is
// created or replaced; `up` then puts the new entry in Cloudflare's list and revokes nothing.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import {
  capture,
  describeRequest,
  describeSteps,
  LEDGER_TYPE,
  ledgerChange,
  LIST_TYPE,
  listValues,
  objectCounts,
  revokeRequests,
  type Step,
  writeRequests,
} from "../../bench/harness/product-run";

const BASE = readFileSync("users.yaml", "utf8");
const WITH_ERIN = `${BASE}
  - email: Erin@Example.org
    name: Erin New
    devices:
      - serial: 5CGNEW0001
        os: windows
`;
const WITH_ERIN_AND_DEVICE = WITH_ERIN.replace(
  "        label: work laptop\n",
  "        label: work laptop\n      - serial: PFEXTRA01\n        os: linux\n",
);

const changed = (steps: Step[]) => steps.filter((s) => s.op !== "same");
const summary = (steps: Step[]) =>
  changed(steps)
    .map((s) => `${s.op} ${s.name}`)
    .sort();

describe("adding one user, then one device", () => {
  let product: ProductStack;

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: BASE, name: "zt-e2e-add" });
    await product.stack.up(capture().opts);
  });

  afterAll(async () => {
    await product?.close();
  });

  /** Preview then up; returns the preview's steps and the ledger's planned change. */
  async function previewAndUp(
    usersYaml: string,
  ): Promise<{ steps: Step[]; ledger: ReturnType<typeof ledgerChange> }> {
    product.writeUsers(usersYaml);
    const run = capture();
    await product.stack.preview({ ...run.opts, diff: true });
    const steps = run.steps();
    const other = changed(steps).filter(
      (s) => !(s.type === LEDGER_TYPE && s.op === "update" && /^members-|-ledger$/.test(s.name)),
    );
    expect(describeSteps(other), "steps other than list entries and the ledger's update").toEqual([]);
    // Adding people or devices revokes nobody.
    const ledger = ledgerChange(run.events);
    expect(ledger.revokes).toEqual({ users: [], devices: [] });
    const before = objectCounts(product.emulator);
    product.emulator.clearRequests();
    const up = await product.stack.up(capture().opts);
    expect(up.summary.result).toBe("succeeded");
    expect(Object.keys(up.summary.resourceChanges ?? {}).sort()).toEqual(["same", "update"]);
    expect(objectCounts(product.emulator), "no object added or removed in Cloudflare").toEqual(before);
    expect(
      revokeRequests(product.emulator.requests()).map(describeRequest),
      "revocations sent by up",
    ).toEqual([]);
    return { steps, ledger };
  }

  it("a user: the preview updates the email list, their OS's serial list and the ledger (which gains them), replaces nothing; up adds them", async () => {
    const { steps, ledger } = await previewAndUp(WITH_ERIN);
    expect(summary(steps)).toEqual([
      "update members-emails-0",
      "update members-windows-0",
      "update revoke-on-removal-ledger",
    ]);
    // The ledger gains erin (lower-cased, as users.yaml is compared) with her device, and nothing else moves.
    expect(ledger.after).toEqual({ ...ledger.before, "erin@example.org": ["5CGNEW0001"] });
    // Only the entries change: the lists themselves are not touched, and each entries resource diffs its values.
    expect(changed(steps).filter((s) => s.type === LIST_TYPE)).toEqual([]);
    expect(
      changed(steps)
        .filter((s) => s.name.startsWith("members-"))
        .map((s) => s.diffs),
    ).toEqual([["values"], ["values"]]);
    // Written as one PATCH per list (append erin / her serial), after reading what the list holds.
    expect(
      writeRequests(product.emulator.requests())
        .map(describeRequest)
        .filter((r) => r.includes("/gateway/lists"))
        .map((r) => r.replace(/lists\/[0-9a-f-]+/, "lists/{id}")),
    ).toEqual(["PATCH /accounts/…/gateway/lists/{id} -> 200", "PATCH /accounts/…/gateway/lists/{id} -> 200"]);
    expect(listValues(product.emulator, /^zt-gitops users /)).toEqual([
      "alice@example.org",
      "bob@example.org",
      "carol@example.org",
      "dan@example.org",
      "erin@example.org",
    ]);
    expect(listValues(product.emulator, /^zt-gitops windows serials/)).toEqual([
      "5CG1234XYZ",
      "5CGNEW0001",
      "R90X2Y3Z",
    ]);
    expect(listValues(product.emulator, /^zt-gitops macos serials/)).not.toContain("5CGNEW0001");
  });

  it("a device: the preview updates only that OS's serial list and the ledger (the device joins its owner); up adds the serial", async () => {
    const { steps, ledger } = await previewAndUp(WITH_ERIN_AND_DEVICE);
    expect(summary(steps)).toEqual(["update members-linux-0", "update revoke-on-removal-ledger"]);
    expect(ledger.after).toEqual({ ...ledger.before, "alice@example.org": ["C02XL0GHJGH5", "PFEXTRA01"] });
    expect(listValues(product.emulator, /^zt-gitops linux serials/)).toEqual([
      "PF2ABCDE",
      "PFEXTRA01",
      "R90X2Y3Z",
    ]);
    expect(listValues(product.emulator, /^zt-gitops users /)).toHaveLength(5);
  });

  it("afterwards the stack is steady again", async () => {
    const run = capture();
    const preview = await product.stack.preview({ ...run.opts, refresh: true });
    expect(describeSteps(changed(run.steps()))).toEqual([]);
    expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
  });
});
