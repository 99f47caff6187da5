// Issue 14 item 5, first half: a create Cloudflare carried out but answered with a 5xx (the emulator's
// "lost response" fault), on the POST of the tunnel, the Access application and a list. The provider
// retries the POST, so Cloudflare now holds two of each while the state knows one (or, when the run
// fails, none). The product's up (src/converge) never leaves a duplicate: the ones the run made are
// found by name and hostname and deleted; reruns converge to one object of each kind, steady. A duplicate
// left by a run that could not clean up is refused by the collision guard, named, before any write.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CollisionError, guardedUp } from "../../src/converge";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import { ONE_OF_EACH, steadyCheck } from "../e2e/helpers/converge";
import { capture, describeSteps, objectCounts, writeRequests } from "../../bench/harness/product-run";

const BASE = readFileSync("users.yaml", "utf8");
const over = (counts: Record<string, number>) =>
  Object.entries(counts).filter(([k, n]) => n > ONE_OF_EACH[k as keyof typeof ONE_OF_EACH]);

describe("lost responses on the POST of a tunnel, an Access application and a list", () => {
  let product: ProductStack;
  const log: string[] = [];
  const up = () =>
    guardedUp(
      { engine: product.engine, projectDir: product.project.dir, stackName: "e2e", log: (l) => log.push(l) },
      () => product.stack.up(capture().opts),
    );

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: BASE, name: "zt-e2e-lost" });
  });

  afterAll(async () => {
    await product?.close();
  });

  it("no run leaves a duplicate; reruns converge to one object of each, steady", async () => {
    const emu = product.emulator;
    for (const path of ["/accounts/*/cfd_tunnel", "/accounts/*/access/apps", "/accounts/*/gateway/lists"])
      emu.faults.add({ method: "POST", path, lostResponse: true, status: 502, count: 1 });
    // Cloudflare refuses the retried POST of a tunnel (same name) and of an application (same hostname),
    // so such a run fails; a retried list POST makes a second list and the run goes on. Each lost
    // response costs at most one failed run.
    const results: string[] = [];
    for (let run = 0; run < 4 && results.at(-1) !== "succeeded"; run++) {
      results.push(
        await up().then(
          (r) => r.summary.result,
          (e: Error) => `failed: ${e.message.split("\n")[0]}`,
        ),
      );
      expect(over(objectCounts(emu)), `duplicates left after run ${run + 1}`).toEqual([]);
    }
    console.log(`runs: ${results.join(" | ")}\n${log.join("\n")}`);
    expect(results.at(-1)).toBe("succeeded");
    expect(results.length).toBeLessThanOrEqual(3);
    expect(emu.faults.list(), "every fault was hit").toEqual([]);
    const lost = emu.requests().filter((r) => r.fault?.startsWith("lost response"));
    expect(lost.map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{32}/g, "…")} ${r.status}`).sort()).toEqual(
      [
        "POST /client/v4/accounts/…/access/apps 502",
        "POST /client/v4/accounts/…/cfd_tunnel 502",
        "POST /client/v4/accounts/…/gateway/lists 502",
      ],
    );
    // Each duplicate Cloudflare made was named when removed.
    const removed = log.filter((l) => l.startsWith("Deleted ")).join("\n");
    expect(removed).toMatch(/tunnel "ocs-tunnel"/);
    expect(removed).toMatch(/Access application "Open Chat Studio" for ocs\.example\.org/);
    expect(removed).toMatch(/Zero Trust list "zt-gitops /);

    expect(objectCounts(emu)).toEqual(ONE_OF_EACH);
    const again = await up();
    expect(again.summary.resourceChanges).not.toHaveProperty("create");
    const run = capture();
    await product.stack.preview({ ...run.opts, refresh: true });
    expect(describeSteps(steadyCheck(run.steps())), "changes after convergence").toEqual([]);
    expect(objectCounts(emu)).toEqual(ONE_OF_EACH);
  });
});

describe("a duplicate left by a run that could not clean up (a bare engine up)", () => {
  let product: ProductStack;

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: BASE, name: "zt-e2e-lost-bare" });
  });

  afterAll(async () => {
    await product?.close();
  });

  it("the next product up refuses before any write, naming the application to adopt", async () => {
    const emu = product.emulator;
    emu.faults.add({ method: "POST", path: "/accounts/*/access/apps", lostResponse: true, count: 1 });
    await expect(product.stack.up(capture().opts)).rejects.toThrow(/already exists/);
    const app = emu.state.data.access.apps[0] as { id: string };
    emu.clearRequests();
    const refused = await guardedUp(
      { engine: product.engine, projectDir: product.project.dir, stackName: "e2e", log: () => undefined },
      () => product.stack.up(capture().opts),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(CollisionError);
    expect((refused as Error).message).toContain(
      `Access application "Open Chat Studio" for ocs.example.org (id ${app.id})`,
    );
    expect((refused as Error).message).toContain("npm run adopt -- --stack e2e");
    expect(writeRequests(emu.requests())).toEqual([]);
    expect(objectCounts(emu).accessApps).toBe(1);
  });
});
