// Adding a person or a laptop is a small, safe change on the real engine: the preview updates list
// resources and creates grant resources, nothing else, and nothing is replaced; `up` then puts the new
// entry in Cloudflare's list.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProductStack, type ProductStack } from "./helpers/product-stack";
import { capture, describeSteps, GRANT_TYPE, LIST_TYPE, listValues, objectCounts, type Step } from "./helpers/product-run";

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
const summary = (steps: Step[]) => changed(steps).map((s) => `${s.op} ${s.name}`).sort();

describe("adding one user, then one device", () => {
  let product: ProductStack;

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: BASE, name: "zt-e2e-add" });
    await product.stack.up(capture().opts);
  });

  afterAll(async () => {
    await product?.close();
  });

  async function previewAndUp(usersYaml: string): Promise<Step[]> {
    product.writeUsers(usersYaml);
    const run = capture();
    await product.stack.preview({ ...run.opts, diff: true });
    const steps = run.steps();
    const other = changed(steps).filter((s) => !(s.type === LIST_TYPE && s.op === "update") && !(s.type === GRANT_TYPE && s.op === "create"));
    expect(describeSteps(other), "steps other than list updates and grant creates").toEqual([]);
    const before = objectCounts(product.emulator);
    const up = await product.stack.up(capture().opts);
    expect(up.summary.result).toBe("succeeded");
    expect(Object.keys(up.summary.resourceChanges ?? {}).sort()).toEqual(["create", "same", "update"]);
    expect(objectCounts(product.emulator), "no object added or removed in Cloudflare").toEqual(before);
    return steps;
  }

  it("a user: the preview updates the email list and their OS's serial list, creates their two grants, replaces nothing; up adds them", async () => {
    const steps = await previewAndUp(WITH_ERIN);
    expect(summary(steps)).toEqual([
      "create revoke-on-removal-device-5CGNEW0001",
      "create revoke-on-removal-user-erin@example.org",
      "update access-emails-0",
      "update posture-serials-windows-0",
    ]);
    // Only the items change; the provider also reports the fields the API recomputes on every write.
    const recomputed = new Set(["createdAt", "updatedAt", "listCount"]);
    expect(changed(steps).filter((s) => s.type === LIST_TYPE).map((s) => s.diffs.filter((d) => !recomputed.has(d)))).toEqual([["items"], ["items"]]);
    expect(listValues(product.emulator, /^zt-gitops users /)).toEqual(["alice@example.org", "bob@example.org", "carol@example.org", "dan@example.org", "erin@example.org"]);
    expect(listValues(product.emulator, /^zt-gitops windows serials/)).toEqual(["5CG1234XYZ", "5CGNEW0001", "R90X2Y3Z"]);
    expect(listValues(product.emulator, /^zt-gitops macos serials/)).not.toContain("5CGNEW0001");
  });

  it("a device: the preview updates only that OS's serial list and creates its grant; up adds the serial", async () => {
    const steps = await previewAndUp(WITH_ERIN_AND_DEVICE);
    expect(summary(steps)).toEqual(["create revoke-on-removal-device-PFEXTRA01", "update posture-serials-linux-0"]);
    expect(listValues(product.emulator, /^zt-gitops linux serials/)).toEqual(["PF2ABCDE", "PFEXTRA01", "R90X2Y3Z"]);
    expect(listValues(product.emulator, /^zt-gitops users /)).toHaveLength(5);
  });

  it("afterwards the stack is steady again", async () => {
    const run = capture();
    const preview = await product.stack.preview({ ...run.opts, refresh: true });
    expect(describeSteps(changed(run.steps()))).toEqual([]);
    expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
  });
});
