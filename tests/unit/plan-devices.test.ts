import { describe, expect, it } from "vitest";
import { renderPlan } from "../../src/plan/markdown";
import { edit, expectGolden, planOf, TEAM } from "./plan-helpers";

describe("plan: devices", () => {
  it("added, moved between users, removed (lost: registration revoked), OS changed", () => {
    const after = edit(
      TEAM,
      // alice gets a second device
      [
        "        label: work laptop\n",
        "        label: work laptop\n      - serial: C02NEWMAC01\n        os: macos\n",
      ],
      // bob loses the linux workstation (lost device) and hands the ThinkPad to dan
      [
        "      - serial: 5CG1234XYZ\n        os: windows\n        label: ThinkPad\n      - serial: PF2ABCDE\n        os: linux\n        label: build workstation\n",
        "      - serial: C02BOBNEW99\n        os: macos\n",
      ],
      [
        "      - serial: R90X2Y3Z\n",
        "      - serial: 5CG1234XYZ\n        os: windows\n      - serial: R90X2Y3Z\n        os: linux\n",
      ],
    );
    const plan = planOf({ users: TEAM }, { users: after });
    const rows = plan.devices.map((d) => [d.kind, d.serial, d.owner, d.from ?? d.fromOs ?? ""]);
    expect(rows).toEqual([
      ["added", "C02NEWMAC01", "alice@example.org", ""],
      ["added", "C02BOBNEW99", "bob@example.org", ""],
      ["moved", "5CG1234XYZ", "dan@example.org", "bob@example.org"],
      ["os-changed", "R90X2Y3Z", "dan@example.org", ""],
      ["removed", "PF2ABCDE", "bob@example.org", ""],
    ]);
    expect(plan.added).toEqual([]);
    expect(plan.removed).toEqual([]);
    const md = renderPlan(plan);
    expect(md).toContain("its WARP registration is revoked");
    expectGolden("devices", md);
  });

  it("a device whose serial is rewritten in another letter case is the same device, flagged for a check", () => {
    const plan = planOf({ users: TEAM }, { users: edit(TEAM, ["serial: R90X2Y3Z", "serial: r90x2y3z"]) });
    expect(plan.devices.map((d) => [d.kind, d.serial, d.fromSerial])).toEqual([
      ["respelled", "r90x2y3z", "R90X2Y3Z"],
    ]);
  });

  it("the first device of a platform adds a posture rule: users already on that platform reconnect WARP", () => {
    const noLinux = edit(
      TEAM,
      ["      - serial: PF2ABCDE\n        os: linux\n        label: build workstation\n", ""],
      ["      - serial: R90X2Y3Z\n", "      - serial: R90X2Y3Z\n        os: macos\n"],
    );
    const plan = planOf(
      { users: noLinux },
      {
        users: edit(noLinux, [
          "        label: work laptop\n",
          "        label: work laptop\n      - serial: LNX00001\n        os: linux\n",
        ]),
      },
    );
    expect(plan.reconnect).toEqual([
      { reason: "the device posture rules for linux devices change", who: ["alice@example.org"] },
    ]);
    expect(renderPlan(plan)).toContain("Ask `alice@example.org` to disconnect and reconnect WARP");
  });
});
