import { describe, expect, it } from "vitest";
import { renderPlan } from "../../src/plan/markdown";
import { edit, expectGolden, planOf, TEAM, withoutUser } from "./plan-helpers";

const ERIN = `
  - email: erin@example.org
    name: Erin Example
    devices:
      - serial: C02ERIN0001
        os: macos
`;

describe("plan: users", () => {
  it("one user added and one removed: added with device count, removed with sessions and devices revoked", () => {
    const plan = planOf({ users: TEAM }, { users: withoutUser(TEAM, "bob@example.org") + ERIN.slice(1) });
    expect(plan.added.map((u) => [u.email, u.devices.length])).toEqual([["erin@example.org", 1]]);
    expect(plan.removed.map((u) => [u.email, u.devices.map((d) => d.serial)])).toEqual([
      ["bob@example.org", ["5CG1234XYZ", "PF2ABCDE"]],
    ]);
    // A departing user's devices are reported with the user, not again as lost devices.
    expect(plan.devices).toEqual([]);
    expect(plan.refusals).toEqual([]);
    const md = renderPlan(plan);
    expect(md).toContain("revokes their active sessions and their devices' WARP registrations");
    expectGolden("add-and-remove", md);
  });

  it("users added: each with its device count; one without a device is flagged", () => {
    const plan = planOf(
      { users: TEAM },
      {
        users:
          TEAM +
          ERIN.slice(1) +
          `  - email: frank@example.org
    devices:
      - serial: 5CG9999AAA
        os: windows
      - serial: C02FRANK002
        os: macos
  - email: grace@example.org
    name: Grace
    devices: []
`,
      },
    );
    expect(plan.added.map((u) => [u.email, u.devices.length])).toEqual([
      ["erin@example.org", 1],
      ["frank@example.org", 2],
      ["grace@example.org", 0],
    ]);
    expect(plan.withoutDevice.map((u) => u.email)).toEqual(["grace@example.org"]);
    expectGolden("users-added", renderPlan(plan));
  });

  it("a user removed (one of four, under the guard's limit)", () => {
    const plan = planOf({ users: TEAM }, { users: withoutUser(TEAM, "carol@example.org") });
    expect(plan.removed.map((u) => u.email)).toEqual(["carol@example.org"]);
    expect(plan.refusals).toEqual([]);
    expectGolden("users-removed", renderPlan(plan));
  });

  it("no users.yaml at base: everyone is added", () => {
    const plan = planOf({ users: undefined }, { users: TEAM });
    expect(plan.base.users).toBe("missing");
    expect(plan.added.map((u) => u.email)).toEqual([
      "alice@example.org",
      "bob@example.org",
      "carol@example.org",
      "dan@example.org",
    ]);
    expect(plan.removed).toEqual([]);
    expectGolden("base-missing", renderPlan(plan));
  });

  it("nothing changed: says so, and still shows the sessions", () => {
    const plan = planOf({ users: TEAM }, { users: TEAM });
    expect(
      plan.added.length +
        plan.removed.length +
        plan.devices.length +
        plan.sessions.length +
        plan.config.length,
    ).toBe(0);
    expectGolden("no-change", renderPlan(plan));
  });

  it("a name cannot break the table, inject HTML or mention anyone", () => {
    const plan = planOf(
      { users: TEAM },
      {
        users:
          TEAM +
          '  - email: eve@example.org\n    name: "Eve | <img src=x> @org/admins [x](y)"\n    devices: []\n',
      },
    );
    const row = renderPlan(plan)
      .split("\n")
      .find((l) => l.includes("eve@example.org") && l.startsWith("|"))!;
    expect(row).toBe(
      "| `eve@example.org` (Eve \\| \\<img src=x\\> \\@org/admins \\[x\\]\\(y\\)) | none | no end date |",
    );
    expect(row.split(/(?<!\\)\|/)).toHaveLength(5); // 3 cells between 4 unescaped pipes
  });

  it("names and labels are edits without effect on access", () => {
    const plan = planOf(
      { users: TEAM },
      {
        users: edit(
          TEAM,
          ["name: Dan Ops", "name: Dan Operations"],
          ["label: ThinkPad", "label: old ThinkPad"],
        ),
      },
    );
    expect(plan.cosmeticEdits).toBe(2);
    expect(renderPlan(plan)).toContain("2 edits to names or labels (no effect on access).");
  });
});

describe("plan: expiry", () => {
  // The base was committed on 2026-11-01; today (the head's day) is 2026-11-23.
  const expiring = edit(
    TEAM,
    ["expires: 2027-03-31", "expires: 2026-12-01"],
    ["name: Dan Ops\n", "name: Dan Ops\n    expires: 2026-11-23\n"],
  );

  it("users whose access ends within 14 days, soonest first, with the days left", () => {
    const plan = planOf({ users: expiring }, { users: expiring });
    expect(plan.expiringSoon.map((u) => [u.email, u.daysLeft])).toEqual([
      ["dan@example.org", 0],
      ["carol@example.org", 8],
    ]);
    expectGolden("expiring-soon", renderPlan(plan));
  });

  it("a date 15 days out is not flagged yet; 14 days out is", () => {
    const at = (day: string) =>
      planOf(
        { users: TEAM },
        { users: edit(TEAM, ["expires: 2027-03-31", `expires: ${day}`]) },
      ).expiringSoon.map((u) => u.email);
    expect(at("2026-12-08")).toEqual([]);
    expect(at("2026-12-07")).toEqual(["carol@example.org"]);
  });

  it("users whose expires date passed since the base was committed: revoked on apply", () => {
    const file = edit(TEAM, ["expires: 2027-03-31", "expires: 2026-11-10"]);
    const plan = planOf({ users: file }, { users: file });
    expect(plan.expiredSinceBase.map((u) => u.email)).toEqual(["carol@example.org"]);
    expect(plan.removed).toEqual([]);
    // Expiry is the file working as written: it does not count towards the removal guard.
    expect(plan.refusals).toEqual([]);
    expectGolden("expired-since-base", renderPlan(plan));
  });

  it("an extended date gives an expired user access again; a moved date is listed", () => {
    const before = edit(
      TEAM,
      ["expires: 2027-03-31", "expires: 2026-10-31"],
      ["name: Dan Ops\n", "name: Dan Ops\n    expires: 2027-01-31\n"],
    );
    const after = edit(
      TEAM,
      ["expires: 2027-03-31", "expires: 2027-06-30"],
      ["name: Dan Ops\n", "name: Dan Ops\n    expires: 2027-02-28\n"],
    );
    const plan = planOf({ users: before }, { users: after });
    expect(plan.restored.map((u) => u.email)).toEqual(["carol@example.org"]);
    expect(plan.added).toEqual([]);
    expect(plan.expiryChanged).toEqual([{ email: "dan@example.org", from: "2027-01-31", to: "2027-02-28" }]);
    expectGolden("restored-and-extended", renderPlan(plan));
  });
});
