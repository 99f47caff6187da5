import { describe, expect, it } from "vitest";
import { renderPlan } from "../../src/plan/markdown";
import { edit, expectGolden, planOf, stackYaml, TEAM } from "./plan-helpers";

describe("plan: sessions", () => {
  it("a shorter app session signs people out sooner; everyone affected is counted", () => {
    const plan = planOf({ users: TEAM }, { users: edit(TEAM, ["app: 8h", "app: 4h"]) });
    expect(plan.sessions).toEqual([{ which: "app", fromMinutes: 480, toMinutes: 240 }]);
    expect(plan.reconnect).toEqual([]);
    const md = renderPlan(plan);
    expect(md).toContain(
      "**Shorter**: signs people out sooner; all 4 active users will be asked for a new OTP code every 4 hours.",
    );
    expectGolden("session-app-shorter", md);
  });

  it("a WARP session change needs everyone to reconnect WARP; a longer app session says so", () => {
    const plan = planOf(
      { users: TEAM },
      { users: edit(TEAM, ["app: 8h", "app: 12h"], ["warp: 24h", "warp: 48h"]) },
    );
    expect(plan.sessions.map((s) => s.which)).toEqual(["app", "warp"]);
    expect(plan.reconnect).toEqual([{ reason: "the WARP session length changes", who: "everyone" }]);
    expectGolden("session-warp", renderPlan(plan));
  });
});

describe("plan: stack settings", () => {
  it("split tunnel and Local Domain Fallback changes need a WARP reconnect; server-side ones do not", () => {
    const changed = stackYaml({
      "zt:privateNetwork":
        "\n    cidr: 172.19.0.0/16\n    internalDomain: ocs.internal\n    dnsmasqAddress: 172.19.0.53\n    hosts:\n      ocs.internal: 172.19.0.7",
    });
    const plan = planOf({ users: TEAM }, { users: TEAM, stack: changed });
    expect(plan.config.map((c) => c.setting)).toEqual([
      "privateNetwork.cidr",
      "privateNetwork.dnsmasqAddress",
      "privateNetwork.hosts",
    ]);
    expect(plan.reconnect.map((r) => r.reason)).toEqual([
      "the Split Tunnels list changes",
      "Local Domain Fallback changes",
    ]);
    expectGolden("config-network", renderPlan(plan));
  });

  it("a deleted application and a new team name lead the comment in bold", () => {
    const changed = stackYaml({
      "zt:teamName": "acme",
      "zt:apps": "\n    - name: Chat\n      hostname: chat.example.org\n      service: http://ocs-web:8000",
      "zt:guards": "\n    maxRemovalShare: 0.25",
    });
    const plan = planOf({ users: TEAM }, { users: TEAM, stack: changed });
    expect(plan.config.filter((c) => c.critical).map((c) => c.setting)).toEqual([
      "teamName",
      "apps[ocs.example.org]",
    ]);
    expect(plan.reEnrol).toEqual({ from: "example-org", to: "acme" });
    const md = renderPlan(plan);
    expect(md.split("\n").slice(0, 8).join("\n")).toContain(
      "> **`apps[ocs.example.org]`: Application Open Chat Studio is deleted",
    );
    expectGolden("config-critical", md);
  });

  it("a stack file that is new at this change: first configuration", () => {
    const plan = planOf({ users: TEAM, stack: undefined }, { users: TEAM });
    expect(plan.configNew).toBe(true);
    expect(renderPlan(plan)).toContain("is new: this is the stack's first configuration");
  });
});
