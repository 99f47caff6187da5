// Issue 16 item 3: on an account that was not adopted, `up` (the product's, through src/converge) refuses
// before any write when it would create a tunnel, an Access application for a hostname, a policy, a group
// or a list beside one the stack does not manage, naming each and `npm run adopt`. Objects already in the
// stack's state are fine: a second `up` passes the guard and changes nothing.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULT_TOKEN } from "../../emulator";
import { createClient } from "../../src/cloudflare/client";
import { CollisionError, guardedUp } from "../../src/converge";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import { capture, describeRequest, objectCounts, writeRequests } from "../../bench/harness/product-run";

const BASE = readFileSync("users.yaml", "utf8");

describe("collision guard before up", () => {
  let product: ProductStack;
  const log: string[] = [];
  const up = () =>
    guardedUp(
      { engine: product.engine, projectDir: product.project.dir, stackName: "e2e", log: (l) => log.push(l) },
      () => product.stack.up(capture().opts),
    );
  const sdk = () => createClient({ apiToken: EMULATOR_DEFAULT_TOKEN, baseUrl: product.emulator.apiBase });
  const account_id = () => product.emulator.state.data.account.id;
  const handMade: { tunnel?: string; app?: string; list?: string } = {};

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: BASE, name: "zt-e2e-guard" });
    // What an admin built by hand in the dashboard, with the names and hostname the stack would use.
    const cf = sdk();
    handMade.tunnel = (
      await cf.zeroTrust.tunnels.cloudflared.create({
        account_id: account_id(),
        name: "ocs-tunnel",
        config_src: "cloudflare",
      })
    ).id;
    handMade.app = (
      (await cf.zeroTrust.access.applications.create({
        account_id: account_id(),
        name: "OCS by hand",
        type: "self_hosted",
        domain: "ocs.example.org",
      })) as { id?: string }
    ).id;
    handMade.list = (
      await cf.zeroTrust.gateway.lists.create({
        account_id: account_id(),
        name: "zt-gitops users 1",
        type: "EMAIL",
      })
    ).id;
  });

  afterAll(async () => {
    await product?.close();
  });

  it("refuses before any write, naming each object (type, name, id) and npm run adopt", async () => {
    const before = objectCounts(product.emulator);
    product.emulator.clearRequests();
    const refused = await up().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(CollisionError);
    const message = (refused as Error).message;
    expect(message).toContain(`tunnel "ocs-tunnel" (id ${handMade.tunnel})`);
    expect(message).toContain(`Access application "OCS by hand" for ocs.example.org (id ${handMade.app})`);
    expect(message).toContain(`Zero Trust list "zt-gitops users 1" (id ${handMade.list})`);
    expect(message).toContain("npm run adopt -- --stack e2e");
    expect(message).not.toContain("policy"); // none was made by hand
    expect(writeRequests(product.emulator.requests()).map(describeRequest), "writes").toEqual([]);
    expect(objectCounts(product.emulator)).toEqual(before);
    expect((await product.stack.exportStack()).deployment.resources ?? []).toEqual([]);
  });

  it("with the hand-made objects gone, up runs; objects in the stack's state then pass the guard", async () => {
    const cf = sdk();
    await cf.zeroTrust.tunnels.cloudflared.delete(handMade.tunnel!, { account_id: account_id() });
    await cf.zeroTrust.access.applications.delete(handMade.app!, { account_id: account_id() });
    await cf.zeroTrust.gateway.lists.delete(handMade.list!, { account_id: account_id() });
    expect((await up()).summary.result).toBe("succeeded");
    const counts = objectCounts(product.emulator);
    expect(counts).toMatchObject({ tunnels: 1, accessApps: 1, accessPolicies: 1, accessGroups: 1, lists: 4 });
    const again = await up();
    expect(again.summary.resourceChanges).not.toHaveProperty("create");
    expect(objectCounts(product.emulator)).toEqual(counts);
    expect(log.join("\n")).not.toMatch(/Deleted|imported/);
  });
});
