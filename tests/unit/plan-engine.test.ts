import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { blocking } from "../../src/plan/guards";
import { EnginePreview, engineFindings, tunnelRefusals } from "../../src/plan/engine";
import { renderPlan } from "../../src/plan/markdown";
import { expectGolden, FIXTURES_DIR, planOf, stackYaml, TEAM, withoutUser } from "./plan-helpers";

// Engine previews recorded from the real engine against the emulator (tests/e2e/gitops-record-fixtures.ts).
const recorded = (name: string): EnginePreview =>
  JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), "utf8"));

const ERIN = "  - email: erin@example.org\n    devices:\n      - serial: C02ERIN0001\n        os: macos\n";

describe("engine findings from recorded previews", () => {
  it("first deployment: everything created, nothing critical, no reconnect", () => {
    const f = engineFindings(recorded("preview-first-deploy"));
    expect(f.counts).toEqual({ create: 26, update: 0, replace: 0, delete: 0, same: 0 });
    expect(f.firstDeployment).toBe(true);
    expect(f.critical).toEqual([]);
    expect(f.warpProfileChanges).toEqual([]);
  });

  it("one user added and one removed: the engine's counts and the revocations it will run", () => {
    const f = engineFindings(recorded("preview-add-remove"));
    expect(f.counts).toEqual({ create: 0, update: 5, replace: 0, delete: 0, same: 21 });
    expect(f.revocations).toEqual([
      { kind: "device", subject: "5CG1234XYZ" },
      { kind: "device", subject: "PF2ABCDE" },
      { kind: "user", subject: "bob@example.org" },
    ]);
    expect(f.critical).toEqual([]);
    // Lists changing is not a profile change: no WARP reconnect for adding or removing people.
    expect(f.warpProfileChanges).toEqual([]);

    const plan = planOf({ users: TEAM }, { users: withoutUser(TEAM, "bob@example.org") + ERIN });
    const md = renderPlan(plan, {
      engine: { findings: f, refusals: tunnelRefusals(f, false) },
      command: "npm run plan -- --base origin/main --stack prod --engine",
    });
    expect(md).toContain("| 0 | 5 | 0 | 0 | 21 |");
    expectGolden("engine-add-remove", md);
  });

  it("a WARP session change shows as an organization update: everyone reconnects", () => {
    const f = engineFindings(recorded("preview-warp-session"));
    expect(f.counts.update).toBe(1);
    expect(f.warpProfileChanges).toEqual(["the WARP session settings"]);
  });

  it("an application deleted (hostname changed) stands out in bold at the top", () => {
    const f = engineFindings(recorded("preview-hostname-change"));
    expect(f.critical).toEqual([{ kind: "application", name: "access-app-ocs.example.org", op: "delete" }]);
    const changed = stackYaml({
      "zt:apps":
        "\n    - name: Open Chat Studio\n      hostname: chat.example.org\n      service: http://ocs-web:8000",
    });
    const plan = planOf({ users: TEAM }, { users: TEAM, stack: changed });
    const md = renderPlan(plan, { engine: { findings: f, refusals: tunnelRefusals(f, false) } });
    const top = md.split("### ")[0];
    expect(top).toContain("> **The engine would DELETE the Access application `access-app-ocs.example.org`");
    expectGolden("engine-app-deleted", md);
  });

  it("a tunnel replacement: reported once (not per replace step), refused unless overridden", () => {
    const preview = recorded("preview-tunnel-replace");
    expect(preview.changes.map((c) => c.op).sort()).toEqual([
      "create-replacement",
      "delete-replaced",
      "replace",
    ]);
    const f = engineFindings(preview);
    expect(f.counts.replace).toBe(1);
    expect(f.critical).toEqual([{ kind: "tunnel", name: "tunnel", op: "replace" }]);

    const refused = tunnelRefusals(f, false);
    expect(blocking(refused).map((r) => r.code)).toEqual(["tunnel-replace"]);
    expect(blocking(tunnelRefusals(f, true))).toEqual([]);

    const plan = planOf({ users: TEAM }, { users: TEAM });
    const md = renderPlan(plan, { engine: { findings: f, refusals: refused } });
    expect(md.split("### ")[0]).toContain("> **The engine would REPLACE the tunnel (`tunnel`)");
    expect(md).toContain("add the `allow-tunnel-replace` label to the pull request");
    expectGolden("engine-tunnel-replace", md);
  });

  it("a preview that could not run is said so in the comment", () => {
    const md = renderPlan(planOf({ users: TEAM }, { users: TEAM }), {
      engine: { error: "ToolchainMissingError: The toolchain for the current sources is not built" },
    });
    expect(md).toContain("The engine preview did not run to completion: ToolchainMissingError");
  });
});
