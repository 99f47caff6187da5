// zt has no Pulumi state: it finds resources by the names components give them. Run the real program
// under Pulumi's mocks and check that every name zt looks for is a name the program declares.
import { describe, expect, it } from "vitest";
import { byType, runProgram } from "../mocks/helpers/run-program";
import {
  DEVICE_GROUP_NAME,
  emailListName,
  POLICY_NAME,
  POSTURE_RULE_PATTERN,
  postureRuleName,
  serialListName,
} from "../../src/model/names";
import { USERS_YAML } from "./helpers/project";

describe("resource names zt searches for", () => {
  it("are the names the program declares", async () => {
    const { resources } = await runProgram({ usersYaml: USERS_YAML });
    const names = (type: string) => byType(resources, type).map((r) => r.inputs.name);
    expect(names("cloudflare:index/zeroTrustList:ZeroTrustList").sort()).toEqual(
      [
        emailListName(0),
        serialListName("macos", 0),
        serialListName("windows", 0),
        serialListName("linux", 0),
      ].sort(),
    );
    const rules = names("cloudflare:index/zeroTrustDevicePostureRule:ZeroTrustDevicePostureRule");
    expect(rules.sort()).toEqual([
      postureRuleName("linux", 0),
      postureRuleName("macos", 0),
      postureRuleName("windows", 0),
    ]);
    for (const r of rules) expect(r).toMatch(POSTURE_RULE_PATTERN);
    expect(names("cloudflare:index/zeroTrustAccessGroup:ZeroTrustAccessGroup")).toEqual([DEVICE_GROUP_NAME]);
    expect(names("cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy")).toEqual([POLICY_NAME]);
    expect(names("cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared")).toEqual([
      "ocs-tunnel",
    ]);
    const app = byType(
      resources,
      "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication",
    )[0];
    expect(app.inputs).toMatchObject({ domain: "ocs.example.org", type: "self_hosted" });
  });
});
