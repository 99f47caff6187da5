// Drift: someone edits Cloudflare behind the stack's back (a serial slipped into a list, the app session
// lengthened in the dashboard). The scheduled check (`npm run preview -- --refresh --expect-no-changes`)
// must fail and name those resources; `up --refresh` puts the declared state back.
import { readFileSync } from "node:fs";
import { CommandError } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shortUrn, summarizeChanges } from "../../src/engine";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import { admin, capture, describeSteps, listValues } from "../../bench/harness/product-run";

const APP = "access-app-ocs.example.org";
// The serial list's entries resource (components/list-entries.ts) reads the entries back from /items.
const MACOS_LIST = "members-macos-0";

/** What src/cli/engine.ts `main` prints for `preview --expect-no-changes` when something would change. */
function expectNoChangesReport(changes: ReturnType<typeof summarizeChanges>): string[] {
  if (changes.length === 0) return [];
  return [
    `Expected no changes, but ${changes.length} resource(s) would change:`,
    ...changes.map((c) => `  ${c.op} ${shortUrn(c.urn)}${c.diffs.length ? ` (${c.diffs.join(", ")})` : ""}`),
  ];
}

describe("drift made behind the stack's back", () => {
  let product: ProductStack;

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: readFileSync("users.yaml", "utf8"), name: "zt-e2e-drift" });
    await product.stack.up(capture().opts);
    const emu = product.emulator;
    const macos = emu.state.data.lists.find((l) => l.name === "zt-gitops macos serials 1")!;
    await admin(emu, "PATCH", `resources/lists/${macos.id}`, {
      items: [...macos.items, { value: "ROGUE000001" }],
    });
    const [app] = emu.state.data.access.apps;
    await admin(emu, "PATCH", `resources/access_apps/${app.id}`, { session_duration: "24h" });
    expect(listValues(emu, /^zt-gitops macos serials/)).toContain("ROGUE000001");
    expect(emu.state.data.access.apps[0].session_duration).toBe("24h");
  });

  afterAll(async () => {
    await product?.close();
  });

  it("preview --refresh --expect-no-changes fails, naming the list and the application", async () => {
    // The product's check: the engine's step events, summarized as the CLI reports them (exit 2).
    const run = capture();
    await product.stack.preview({ ...run.opts, refresh: true, diff: true });
    const changes = summarizeChanges(run.events);
    expect(changes.map((c) => [c.urn.split("::").pop(), c.op]).sort()).toEqual([
      [APP, "update"],
      [MACOS_LIST, "update"],
    ]);
    expect(changes.find((c) => c.urn.endsWith(APP))?.diffs).toContain("sessionDuration");
    expect(changes.find((c) => c.urn.endsWith(MACOS_LIST))?.diffs).toContain("values");
    const report = expectNoChangesReport(changes);
    expect(report[0]).toBe("Expected no changes, but 2 resource(s) would change:");
    expect(report.join("\n")).toContain(
      `update zt:index:Access$cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication::${APP}`,
    );
    expect(report.join("\n")).toContain(
      `update zt:index:ListMembers$pulumi-nodejs:dynamic:Resource::${MACOS_LIST}`,
    );

    // The engine's own flag fails the same way, and its output names the resources.
    const strict = capture();
    const err = await product.stack.preview({ ...strict.opts, refresh: true, expectNoChanges: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CommandError);
    expect(strict.text()).toContain(APP);
    expect(strict.text()).toContain(MACOS_LIST);
  });

  it("a plain up (no refresh) compares with the last recorded state and leaves the drift in place", async () => {
    const run = capture();
    const up = await product.stack.up(run.opts);
    expect(describeSteps(run.steps().filter((s) => s.op !== "same"))).toEqual([]);
    expect(Object.keys(up.summary.resourceChanges ?? {})).toEqual(["same"]);
    expect(product.emulator.state.data.access.apps[0].session_duration).toBe("24h");
  });

  it("up --refresh restores the declared state, and the check passes again", async () => {
    const up = await product.stack.up({ ...capture().opts, refresh: true });
    expect(up.summary.resourceChanges).toMatchObject({ update: 2 });
    const emu = product.emulator;
    expect(listValues(emu, /^zt-gitops macos serials/)).toEqual(["C02XL0GHJGH5", "FVFZK1ABQ6L4", "R90X2Y3Z"]);
    expect(emu.state.data.access.apps[0].session_duration).toBe("8h");

    const run = capture();
    await product.stack.preview({ ...run.opts, refresh: true, expectNoChanges: true });
    expect(expectNoChangesReport(summarizeChanges(run.events))).toEqual([]);
  });
});
