// Right after `up`, a preview proposes nothing: every resource `same`, with and without a refresh
// from the API (the scheduled drift check), and no write reaches Cloudflare.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summarizeChanges } from "../../src/engine";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import { capture, describeRequest, describeSteps, writeRequests } from "../../bench/harness/product-run";

describe("a preview right after up", () => {
  let product: ProductStack;
  let resourceCount: number;

  beforeAll(async () => {
    product = await openProductStack({
      usersYaml: readFileSync("users.yaml", "utf8"),
      name: "zt-e2e-steady",
    });
    const up = await product.stack.up(capture().opts);
    resourceCount = up.summary.resourceChanges?.create ?? 0;
    expect(resourceCount).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await product?.close();
  });

  for (const refresh of [false, true]) {
    it(`reports every resource same${refresh ? " after refreshing from the API" : ""}, and writes nothing`, async () => {
      product.emulator.clearRequests();
      const run = capture();
      const preview = await product.stack.preview({ ...run.opts, refresh, diff: true });
      const steps = run.steps();
      expect(
        steps.filter((s) => s.op !== "same").map((s) => describeSteps([s])[0]),
        "resources that would change",
      ).toEqual([]);
      expect(summarizeChanges(run.events)).toEqual([]);
      // The stack, its components, providers and resources: all of them, and nothing else.
      expect(preview.changeSummary).toEqual({ same: resourceCount });
      expect(writeRequests(product.emulator.requests()).map(describeRequest)).toEqual([]);
    });
  }
});
