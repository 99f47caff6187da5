// The portal example (examples/portal: users.yaml from issue 17 and its stack) through the product's
// own program and the real engine, from an empty emulator: every `tests:` entry agrees with the
// emulator's Access decision on what the engine created, and a users.yaml whose test fails is refused
// before any write. A missing toolchain fails in beforeAll; nothing skips.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import { admin, capture, describeRequest, writeRequests } from "../../bench/harness/product-run";
import { readInputs } from "../../src/program";
import { REPO_ROOT } from "../../toolchain/layout";
import { emulatorVerdict, portalStackConfig } from "./helpers/portal-model";

const EXAMPLE = readFileSync(join(REPO_ROOT, "examples/portal/users.yaml"), "utf8");
const OKTA_SECRET = "okta-client-secret-example-e2e-0123456789";

/** The example's stack on a fresh emulator, with alice's laptop enrolled in WARP. */
async function openPortalStack(name: string, usersYaml: string): Promise<ProductStack> {
  const product = await openProductStack({
    name,
    usersYaml,
    config: portalStackConfig(),
    secrets: { "zt:identityProviderSecrets": JSON.stringify({ Okta: OKTA_SECRET }) },
  });
  await admin(product.emulator, "POST", "registrations", {
    user: { email: "alice@example.org" },
    device: { serial_number: "C02XL0GHJGH5" },
  });
  return product;
}

describe("the portal example on the emulator", () => {
  let product: ProductStack;

  beforeAll(async () => {
    product = await openPortalStack("zt-e2e-portal-example", EXAMPLE);
  });
  afterAll(async () => {
    await product?.close();
  });

  it("up from empty succeeds, and the emulator's decision agrees with every tests: entry", async () => {
    const up = await product.stack.up(capture().opts);
    expect(up.summary.result).toBe("succeeded");
    const { desired } = readInputs(
      { projectDir: product.project.dir },
      { stack: "e2e", config: await rawConfig() },
    );
    const tests = desired.portal!.tests;
    expect(tests).toHaveLength(3);
    for (const t of tests) {
      const { got, why } = await emulatorVerdict(product.emulator, product.stack, t);
      expect(got, `users.yaml line ${t.line}: ${why.join("; ")}`).toBe(t.expect);
    }
  });

  it("a deliberately broken test is refused before any write", async () => {
    product.writeUsers(
      EXAMPLE.replace(
        "{ user: jo@acme.example, app: internal-api, expect: deny }",
        "{ user: jo@acme.example, app: internal-api, expect: allow }",
      ),
    );
    product.emulator.clearRequests();
    const c = capture();
    const failed = await product.stack.up(c.opts).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed, "the up should have been refused").toBeDefined();
    expect(c.text() + String(failed)).toMatch(/jo@acme\.example/);
    const writes = writeRequests(product.emulator.requests()).filter((r) => !r.path.includes("__admin"));
    expect(writes.map(describeRequest)).toEqual([]);
  });

  async function rawConfig(): Promise<Record<string, string>> {
    const all = await product.stack.getAllConfig();
    return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.value]));
  }
});

describe("a legacy stack switching to portal mode", () => {
  let product: ProductStack;
  const LEGACY = [
    "users:",
    "  - email: alice@example.org",
    "    devices: [{ serial: C02XL0GHJGH5, os: macos }]",
    "  - email: jo@acme.example",
    "    devices: []",
    "",
  ].join("\n");

  beforeAll(async () => {
    product = await openPortalStack("zt-e2e-portal-switch", LEGACY);
  });
  afterAll(async () => {
    await product?.close();
  });

  it("updates the applications in place, then removes the shared list and policy; the tests hold", async () => {
    expect((await product.stack.up(capture().opts)).summary.result).toBe("succeeded");
    product.writeUsers(EXAMPLE);
    const c = capture();
    await product.stack.up(c.opts);
    const ops = (name: string) =>
      c
        .steps()
        .filter((s) => s.name.startsWith(name))
        .map((s) => s.op);
    // Same URNs as before: no application is replaced (a replacement would cut access).
    expect(ops("access-app-")).toEqual(["update", "update", "update"]);
    expect(ops("access-allow")).toEqual(["delete"]);
    expect(ops("access-emails-0")).toEqual(["delete"]);
    expect(c.steps().filter((s) => s.op === "replace")).toEqual([]);
    // The shared policy goes only after every application stopped referring to it.
    const order = c.steps().map((s) => `${s.op} ${s.name}`);
    const lastAppUpdate = Math.max(...order.flatMap((s, i) => (/^update access-app-/.test(s) ? [i] : [])));
    expect(order.indexOf("delete access-allow")).toBeGreaterThan(lastAppUpdate);
    const { desired } = readInputs(
      { projectDir: product.project.dir },
      {
        stack: "e2e",
        config: Object.fromEntries(
          Object.entries(await product.stack.getAllConfig()).map(([k, v]) => [k, v.value]),
        ),
      },
    );
    for (const t of desired.portal!.tests) {
      const { got, why } = await emulatorVerdict(product.emulator, product.stack, t);
      expect(got, `users.yaml line ${t.line}: ${why.join("; ")}`).toBe(t.expect);
    }
  });
});
