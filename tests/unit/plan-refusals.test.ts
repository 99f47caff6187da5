import { describe, expect, it } from "vitest";
import { blocking, envFlag, removalRefusals } from "../../src/plan/guards";
import { parseSide } from "../../src/plan/inputs";
import { renderPlan } from "../../src/plan/markdown";
import { TODAY } from "./helpers/users";
import { edit, expectGolden, planOf, stackYaml, TEAM, withoutUser } from "./plan-helpers";

const ZOE = "  - email: zoe@example.org\n    devices:\n      - serial: C02ZOE00001\n        os: macos\n";

describe("plan: refusals", () => {
  it("removing every user (even while adding someone new) is refused unless overridden", () => {
    let everyoneGone = TEAM;
    for (const e of ["alice", "bob", "carol", "dan"])
      everyoneGone = withoutUser(everyoneGone, `${e}@example.org`);
    const plan = planOf({ users: TEAM }, { users: everyoneGone + ZOE });
    expect(plan.refusals.map((r) => [r.code, r.overridden])).toEqual([["remove-every-user", false]]);
    expectGolden("refused-every-user", renderPlan(plan));
  });

  it("removing more than guards.maxRemovalShare of the users is refused; the override shows it struck through", () => {
    const three = withoutUser(
      withoutUser(withoutUser(TEAM, "alice@example.org"), "bob@example.org"),
      "carol@example.org",
    );
    const refused = planOf({ users: TEAM }, { users: three });
    expect(refused.refusals.map((r) => r.code)).toEqual(["mass-removal"]);
    expect(blocking(refused.refusals)).toHaveLength(1);
    expectGolden("refused-mass-removal", renderPlan(refused));

    const allowed = planOf({ users: TEAM }, { users: three }, { allowMassRemoval: true });
    expect(blocking(allowed.refusals)).toEqual([]);
    expectGolden("mass-removal-overridden", renderPlan(allowed));
  });

  it("the limit is the stricter of base and change: raising it in the same change does not help", () => {
    const two = withoutUser(withoutUser(TEAM, "alice@example.org"), "bob@example.org"); // 2 of 4 = 50%
    expect(planOf({ users: TEAM }, { users: two }).refusals).toEqual([]);
    const loosened = stackYaml({ "zt:guards": "\n    maxRemovalShare: 0.9" });
    const tightened = stackYaml({ "zt:guards": "\n    maxRemovalShare: 0.25" });
    expect(
      planOf({ users: TEAM, stack: tightened }, { users: two, stack: loosened }).refusals.map((r) => r.code),
    ).toEqual(["mass-removal"]);
    expect(planOf({ users: TEAM }, { users: two, stack: tightened }).refusals.map((r) => r.code)).toEqual([
      "mass-removal",
    ]);
  });

  it("validation errors are refused and printed as PATH:LINE:COL lines in a code block", () => {
    const broken = edit(
      TEAM,
      ["warp: 24h", "warp: 2h"],
      ["email: dan@example.org", "email: dan-at-example.org"],
    );
    const plan = planOf({ users: TEAM }, { users: broken });
    expect(plan.refusals.map((r) => r.code)).toEqual(["invalid-users"]);
    const md = renderPlan(plan);
    expect(md).toMatch(/```text\n {2}users\.yaml:3:9: sessions\.warp is 2h/);
    expect(md).toMatch(/ {2}users\.yaml:\d+:\d+: .*email/);
    expectGolden("refused-invalid", md);
  });

  it("an invalid stack file is refused with its problems", () => {
    const plan = planOf({ users: TEAM }, { users: TEAM, stack: stackYaml({ "zt:teamName": "Not A Team" }) });
    expect(plan.refusals.map((r) => r.code)).toEqual(["invalid-config"]);
    expect(renderPlan(plan)).toMatch(
      / {2}Pulumi\.prod\.yaml:1:1: zt:teamName: teamName is the Zero Trust team name/,
    );
  });

  it("a stack file that is not YAML is refused with its position, not a crash", () => {
    const plan = planOf({ users: TEAM }, { users: TEAM, stack: "config:\n  zt:teamName: [unclosed\n" });
    expect(plan.refusals.map((r) => r.code)).toEqual(["invalid-config"]);
    expect(plan.refusals[0].problems?.[0]).toMatchObject({
      file: "Pulumi.prod.yaml",
      message: expect.stringMatching(/^YAML syntax error: /),
    });
  });

  it("nobody left with a device is a lockout: refused and not overridable", () => {
    const noDevices =
      "users:\n  - email: alice@example.org\n    devices: []\n  - email: bob@example.org\n    devices: []\n";
    const plan = planOf({ users: noDevices }, { users: noDevices }, { allowMassRemoval: true });
    expect(plan.refusals.map((r) => [r.code, r.override, r.overridden])).toEqual([
      ["lockout", undefined, false],
    ]);
    expect(renderPlan(plan)).toContain("would leave the application with no allowed user");
  });

  it("everyone expired is the same lockout refusal, from the same rule validate uses", () => {
    const expired =
      "users:\n  - email: carol@example.org\n    expires: 2026-11-01\n    devices: [{ serial: A1 }]\n";
    const plan = planOf({ users: expired, day: "2026-10-01" }, { users: expired });
    expect(plan.refusals.map((r) => [r.code, r.message])).toEqual([
      [
        "lockout",
        "This change would leave the application with no allowed user: every user has expired (today is 2026-11-23): nobody could sign in; extend an expires date or add a user.",
      ],
    ]);
  });

  it("a users.yaml saved as UTF-16 is refused as invalid with the one line that says so", () => {
    const head = parseSide({
      label: "this change",
      day: TODAY,
      usersFile: "users.yaml",
      usersText: new Uint8Array(Buffer.from("\uFEFFusers:\n  - email: a@example.org\n", "utf16le")),
      stackFile: "Pulumi.prod.yaml",
      stackText: stackYaml(),
    });
    expect(head.users).toEqual({
      kind: "invalid",
      problems: [
        {
          file: "users.yaml",
          line: 1,
          col: 1,
          message:
            "the file is saved as UTF-16 (little-endian), not UTF-8: save it as UTF-8 (in Notepad: File → Save as → Encoding: UTF-8)",
        },
      ],
    });
  });

  it("guard arithmetic: exactly at the limit passes, one more is refused; nothing before means nothing to guard", () => {
    const r = (before: number, removed: number) =>
      removalRefusals({
        before,
        removed: Array.from({ length: removed }, (_, i) => `u${i}`),
        maxShare: 0.5,
        allowMassRemoval: false,
      }).map((x) => x.code);
    expect(r(10, 5)).toEqual([]);
    expect(r(10, 6)).toEqual(["mass-removal"]);
    expect(r(1, 1)).toEqual(["remove-every-user"]);
    expect(r(0, 0)).toEqual([]);
  });

  it("override environment values: only explicit yes-values count", () => {
    expect(["1", "true", "YES", " yes "].map(envFlag)).toEqual([true, true, true, true]);
    expect([undefined, "", "0", "false", "no", "label"].map(envFlag)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
