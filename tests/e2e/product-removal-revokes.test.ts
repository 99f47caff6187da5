// Removal is revocation, done by `up` itself: deleting a user (or a device) from users.yaml shows in
// the preview as an update of the revocation ledger whose `revokes` names them (what the PR plan lists),
// and applying it revokes their Access sessions (POST access/organizations/revoke_user) and their WARP
// registrations, and nobody else's.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import {
  admin,
  capture,
  deployedGrants,
  describeRequest,
  describeSteps,
  ledgerChange,
  listValues,
  type Step,
} from "../../bench/harness/product-run";

const BASE = readFileSync("users.yaml", "utf8");
// Dan replaces his spare laptop.
const DAN_NEW_DEVICE = BASE.replace("      - serial: R90X2Y3Z ", "      - serial: R9NEW00001 ");
// Then Bob leaves.
const WITHOUT_BOB = DAN_NEW_DEVICE.replace(
  / {2}- email: bob@example.org[\s\S]*?label: build workstation\n/,
  "",
);

interface Registration {
  id: string;
  revoked_at: string | null;
  user: { email: string };
  device: { id: string; serial_number?: string };
}

const changed = (steps: Step[]) =>
  steps
    .filter((s) => s.op !== "same")
    .map((s) => `${s.op} ${s.name}`)
    .sort();

describe("removing a device, then a user", () => {
  let product: ProductStack;
  /** serial -> device id in the emulator */
  const deviceIds: Record<string, string> = {};

  const registrations = () => admin<Registration[]>(product.emulator, "GET", "registrations");
  const revokedSerials = async () =>
    (await registrations())
      .filter((r) => r.revoked_at)
      .map((r) => r.device.serial_number)
      .sort();

  beforeAll(async () => {
    expect(BASE).toContain("serial: R90X2Y3Z ");
    product = await openProductStack({ usersYaml: BASE, name: "zt-e2e-revoke" });
    await product.stack.up(capture().opts);
    // WARP enrolments, as Cloudflare would have them once people sign in on their laptops.
    const enrol = (email: string, serial: string) => {
      deviceIds[serial] = randomUUID();
      return {
        user: { email },
        device: { id: deviceIds[serial], name: `${email.split("@")[0]}-${serial}`, serial_number: serial },
      };
    };
    await admin(product.emulator, "POST", "registrations", [
      enrol("alice@example.org", "C02XL0GHJGH5"),
      enrol("bob@example.org", "5CG1234XYZ"),
      enrol("bob@example.org", "PF2ABCDE"),
      enrol("dan@example.org", "R90X2Y3Z"),
    ]);
    expect(await revokedSerials()).toEqual([]);
  });

  afterAll(async () => {
    await product?.close();
  });

  it("a replaced device: the preview updates the ledger, revoking the old device only; up revokes that device's registration only", async () => {
    product.writeUsers(DAN_NEW_DEVICE);
    const preview = capture();
    await product.stack.preview({ ...preview.opts, diff: true });
    expect(changed(preview.steps())).toEqual([
      "update members-linux-0",
      "update members-macos-0",
      "update members-windows-0",
      "update revoke-on-removal-ledger",
    ]);
    const ledger = ledgerChange(preview.events);
    expect(ledger.op).toBe("update");
    expect(ledger.revokes).toEqual({ users: [], devices: ["R90X2Y3Z"] });
    expect(ledger.before?.["dan@example.org"]).toContain("R90X2Y3Z");
    expect(ledger.after?.["dan@example.org"]).toContain("R9NEW00001");
    expect(ledger.after?.["dan@example.org"]).not.toContain("R90X2Y3Z");

    product.emulator.clearRequests();
    const up = await product.stack.up(capture().opts);
    expect(up.summary.resourceChanges).toMatchObject({ update: 4 });
    expect(up.summary.resourceChanges).not.toHaveProperty("create");
    expect(up.summary.resourceChanges).not.toHaveProperty("delete");
    expect(await deployedGrants(product.stack)).toEqual(ledger.after);
    expect(await revokedSerials()).toEqual(["R90X2Y3Z"]);
    // Found by serial among the physical devices, then its registrations revoked.
    const calls = product.emulator.requests().map(describeRequest);
    expect(calls).toContainEqual(
      expect.stringMatching(/^GET \/accounts\/…\/devices\/physical-devices.* -> 200$/),
    );
    expect(calls).toContainEqual(
      expect.stringMatching(/^POST \/accounts\/…\/devices\/registrations\/revoke\?id=.* -> 200$/),
    );
    // A device leaving is not a person leaving: no session revocation.
    expect(await admin<unknown[]>(product.emulator, "GET", "revocations")).toEqual([]);
    for (const name of ["macos", "windows", "linux"]) {
      const serials = listValues(product.emulator, new RegExp(`^zt-gitops ${name} serials`));
      expect(serials).toContain("R9NEW00001");
      expect(serials).not.toContain("R90X2Y3Z");
    }
  });

  it("a removed user: the preview updates the ledger, revoking them and their devices; up revokes their sessions and every registration of theirs", async () => {
    product.writeUsers(WITHOUT_BOB);
    const preview = capture();
    await product.stack.preview({ ...preview.opts, diff: true });
    const planned = changed(preview.steps());
    expect(planned).toEqual([
      "update members-emails-0",
      "update members-linux-0",
      "update members-windows-0",
      "update revoke-on-removal-ledger",
    ]);
    expect(
      describeSteps(preview.steps().filter((s) => s.op.includes("replace") || s.op === "delete")),
    ).toEqual([]);
    const ledger = ledgerChange(preview.events);
    expect(ledger.op).toBe("update");
    expect(ledger.revokes).toEqual({ users: ["bob@example.org"], devices: ["5CG1234XYZ", "PF2ABCDE"] });
    expect(Object.keys(ledger.after ?? {})).toEqual([
      "alice@example.org",
      "carol@example.org",
      "dan@example.org",
    ]);

    product.emulator.clearRequests();
    const up = await product.stack.up(capture().opts);
    expect(up.summary.resourceChanges).toMatchObject({ update: 4 });
    expect(up.summary.resourceChanges).not.toHaveProperty("delete");
    expect(await deployedGrants(product.stack)).toEqual(ledger.after);

    expect(listValues(product.emulator, /^zt-gitops users /)).toEqual([
      "alice@example.org",
      "carol@example.org",
      "dan@example.org",
    ]);
    const allSerials = listValues(product.emulator, /serials/);
    expect(allSerials).not.toContain("5CG1234XYZ");
    expect(allSerials).not.toContain("PF2ABCDE");

    const calls = product.emulator.requests().map(describeRequest);
    expect(calls.filter((c) => c.startsWith("POST /accounts/…/access/organizations/revoke_user"))).toEqual([
      "POST /accounts/…/access/organizations/revoke_user -> 200",
    ]);
    const revocations = await admin<Array<{ email: string }>>(product.emulator, "GET", "revocations");
    expect(revocations.map((r) => r.email)).toEqual(["bob@example.org"]);
    // Bob's two laptops lose WARP; Alice keeps hers; Dan's old one stays revoked.
    expect(await revokedSerials()).toEqual(["5CG1234XYZ", "PF2ABCDE", "R90X2Y3Z"]);
    const regs = await registrations();
    expect(regs.filter((r) => r.user.email === "alice@example.org").map((r) => r.revoked_at)).toEqual([null]);
  });

  it("afterwards the ledger is settled: a preview plans nothing and another up revokes nobody again", async () => {
    const preview = capture();
    await product.stack.preview({ ...preview.opts, diff: true });
    expect(changed(preview.steps())).toEqual([]);
    product.emulator.clearRequests();
    const up = await product.stack.up(capture().opts);
    expect(Object.keys(up.summary.resourceChanges ?? {})).toEqual(["same"]);
    expect(
      product.emulator
        .requests()
        .map(describeRequest)
        .filter((c) => /revoke/.test(c)),
    ).toEqual([]);
    expect((await admin<unknown[]>(product.emulator, "GET", "revocations")).length).toBe(1);
  });
});
