import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { byType, one, runProgram, TEST_TOKEN, TUNNEL_TOKEN } from "./helpers/run-program";

// The API token, the tunnel token and Logpush credentials must reach the engine marked secret, so they
// are encrypted in state and masked in plans and logs.

test("tunnel token, API token and logpush credentials are secret wherever they are used", async () => {
  const { resources, outputs } = await runProgram({
    usersYaml: readFileSync("users.yaml", "utf8"),
    config: { logpush: { destination: "datadog" } },
    secrets: { "zt:logpushSecret": "dd-api-key-0123456789" },
  });
  for (const c of byType(resources, "docker:index/container:Container").filter((c) =>
    c.name.includes("cloudflared"),
  )) {
    expect(c.secretKeys).toContain("envs");
    expect(c.inputs.envs).toEqual([`TUNNEL_TOKEN=${TUNNEL_TOKEN}`]);
  }
  for (const g of byType(resources, "pulumi-nodejs:dynamic:Resource")) {
    expect(g.secretKeys).toContain("apiToken");
    expect(g.inputs.apiToken).toBe(TEST_TOKEN);
  }
  const jobs = byType(resources, "cloudflare:index/logpushJob:LogpushJob");
  expect(jobs.map((j) => j.inputs.dataset).sort()).toEqual([
    "access_requests",
    "gateway_dns",
    "gateway_http",
    "gateway_network",
  ]);
  for (const j of jobs) {
    expect(j.secretKeys).toContain("destinationConf");
    expect(j.inputs.destinationConf).toContain("header_DD-API-KEY=dd-api-key-0123456789");
  }
  // Nothing else carries a secret in plaintext.
  for (const r of resources) {
    const plain = JSON.stringify({
      ...r.inputs,
      ...Object.fromEntries(r.secretKeys.map((k) => [k, "<secret>"])),
    });
    expect(plain, r.name).not.toContain(TEST_TOKEN);
    expect(plain, r.name).not.toContain(TUNNEL_TOKEN);
    expect(plain, r.name).not.toContain("dd-api-key");
  }
  expect(one(resources, "pulumi:providers:docker").secretKeys).toEqual([]);
  expect(typeof outputs.dockerCompose).toBe("string");
  expect(outputs.dockerCompose).not.toContain(TUNNEL_TOKEN);
});
