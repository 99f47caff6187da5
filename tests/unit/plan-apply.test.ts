import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { postApplyProblems, renderApplied, renderRefused } from "../../src/plan/apply-report";
import { EnginePreview, engineFindings, tunnelRefusals } from "../../src/plan/engine";
import { removalRefusals } from "../../src/plan/guards";
import { expectGolden, FIXTURES_DIR, planOf, TEAM, withoutUser } from "./plan-helpers";
import { stateOf } from "./helpers/users";

const recorded = (name: string): EnginePreview =>
  JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), "utf8"));
const ERIN = "  - email: erin@example.org\n    devices:\n      - serial: C02ERIN0001\n        os: macos\n";

describe("apply report", () => {
  const after = withoutUser(TEAM, "bob@example.org") + ERIN;
  const desired = stateOf(after);
  const outputsOf = (emails: string[], serials: string[], sessions = { app: "8h", warp: "24h" }) => ({
    managedEmails: { value: emails },
    managedSerials: { value: serials },
    sessions: { value: sessions },
  });

  it("post-apply checks pass when the deployed lists are exactly users.yaml's, in any order", () => {
    const emails = desired.activeUsers.map((u) => u.email).reverse();
    const serials = desired.activeUsers.flatMap((u) => u.devices.map((d) => d.serial));
    expect(postApplyProblems(desired, outputsOf(emails, serials))).toEqual([]);
  });

  it("post-apply checks fail on a missing user, an extra device or another session length", () => {
    const emails = desired.activeUsers.map((u) => u.email);
    const serials = desired.activeUsers.flatMap((u) => u.devices.map((d) => d.serial));
    expect(postApplyProblems(desired, outputsOf(emails.slice(1), serials))).toHaveLength(1);
    expect(postApplyProblems(desired, outputsOf(emails, [...serials, "EXTRA"]))).toHaveLength(1);
    expect(postApplyProblems(desired, outputsOf(emails, serials, { app: "8h", warp: "48h" }))).toHaveLength(
      1,
    );
    expect(postApplyProblems(desired, {})).toHaveLength(3);
  });

  it("after an apply: counts, revocations, checks, and who must do what", () => {
    const applied = engineFindings(recorded("preview-add-remove"));
    const plan = planOf({ users: TEAM }, { users: after });
    const md = renderApplied({
      stack: "prod",
      applied,
      plan,
      activeUsers: 4,
      checkProblems: [],
      overridden: [],
    });
    expect(md).toContain("Revoked: device `5CG1234XYZ`, device `PF2ABCDE`, user `bob@example.org`.");
    expectGolden("apply-summary", md);
  });

  it("a WARP session change applied: everyone is told to reconnect, even without a base to compare", () => {
    const md = renderApplied({
      stack: "prod",
      applied: engineFindings(recorded("preview-warp-session")),
      activeUsers: 4,
      checkProblems: [],
      overridden: [],
    });
    expect(md).toContain(
      "Ask everyone (4 active users) to disconnect and reconnect WARP (toggle it off and on): the engine changes the WARP session settings.",
    );
  });

  it("refused: every reason with its override", () => {
    const refusals = [
      ...removalRefusals({ before: 4, removed: ["a", "b", "c"], maxShare: 0.5, allowMassRemoval: false }),
      ...tunnelRefusals(engineFindings(recorded("preview-tunnel-replace")), false),
    ];
    const md = renderRefused("prod", refusals);
    expect(md).toContain("nothing was changed");
    expect(md).toContain("`--allow-mass-removal`");
    expect(md).toContain("`ZT_ALLOW_TUNNEL_REPLACE=1`");
    expectGolden("apply-refused", md);
  });
});
