import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { parseStackConfig } from "../../src/config/load";
import { readStackValues } from "../../src/config/stack-file";
import { formatProblem } from "../../src/diagnostics/problems";
import { exampleStackValues } from "./helpers/stack-config";

// Stack settings are checked as strictly as users.yaml, and point at the line in Pulumi.<stack>.yaml.

const good = exampleStackValues;

const problems = (values: Record<string, unknown>, file = "Pulumi.nofile.yaml") =>
  parseStackConfig(values, file).problems.map(formatProblem);

test("the example settings are valid and get defaults", () => {
  const { config } = parseStackConfig(good, "Pulumi.nofile.yaml");
  expect(config?.connector).toEqual({
    enabled: true,
    dockerHost: "unix:///var/run/docker.sock",
    replicas: 2,
    network: "zt-private",
    cloudflaredImage: "cloudflare/cloudflared:2025.11.1",
    dnsmasqImage: "dockurr/dnsmasq:2.91",
  });
  expect(config?.guards.maxRemovalShare).toBe(0.5);
});

test("a .local internal domain is refused with the runbook's reason", () => {
  expect(
    problems({ ...good, privateNetwork: { ...good.privateNetwork, internalDomain: "ocs.local", hosts: {} } }),
  ).toEqual([
    "Pulumi.nofile.yaml:1:1: zt:privateNetwork.internalDomain: the .local top-level domain is reserved for mDNS and will not resolve through WARP: use a domain you own or .internal (e.g. ocs.internal)",
  ]);
});

test("addresses must lie in the private network, and names in the internal domain", () => {
  expect(
    problems({
      ...good,
      privateNetwork: {
        ...good.privateNetwork,
        dnsmasqAddress: "10.0.0.53",
        hosts: { "ocs.example.org": "172.18.0.7" },
      },
    }),
  ).toEqual([
    "Pulumi.nofile.yaml:1:1: zt:privateNetwork.dnsmasqAddress: 10.0.0.53 is outside the private network 172.18.0.0/16",
    "Pulumi.nofile.yaml:1:1: zt:privateNetwork.hosts.ocs.example.org: ocs.example.org is not inside internalDomain ocs.internal: WARP only sends ocs.internal to dnsmasq",
  ]);
});

test("unknown settings get a did-you-mean, missing ones say how to set them", () => {
  const { accountId: _omit, ...rest } = good;
  expect(problems({ ...rest, tunelName: "x" })).toEqual([
    "Pulumi.nofile.yaml:1:1: unknown setting zt:tunelName: did you mean zt:tunnelName?",
    'Pulumi.nofile.yaml:1:1: zt:accountId is required: set it with `pulumi config set zt:accountId ...` (see README, "Stack configuration")',
  ]);
});

test("messages point at the line of the value in the stack file", () => {
  const dir = mkdtempSync(join(tmpdir(), "zt-config-"));
  const file = join(dir, "Pulumi.nofile.yaml");
  writeFileSync(
    file,
    [
      "config:",
      "  zt:accountId: 0123456789abcdef0123456789abcdef",
      "  zt:zoneId: fedcba9876543210fedcba9876543210",
      "  zt:teamName: example-org",
      "  zt:tunnelName: ocs-tunnel",
      "  zt:apps:",
      "    - name: OCS",
      "      hostname: ocs.local",
      "      service: http://ocs-web:8000",
      "  zt:privateNetwork:",
      "    cidr: 172.18.0.0/16",
      "    internalDomain: ocs.internal",
      "    dnsmasqAddress: 172.18.0.53",
      "  cloudflare:apiToken:",
      "    secure: v1:abc",
      "",
    ].join("\n"),
  );
  const values = readStackValues(file);
  expect(Object.keys(values).sort()).toEqual([
    "accountId",
    "apps",
    "privateNetwork",
    "teamName",
    "tunnelName",
    "zoneId",
  ]);
  expect(problems(values, file)).toEqual([
    `${file}:8:17: zt:apps[0].hostname: the .local top-level domain is reserved for mDNS and will not resolve through WARP: use a domain you own or .internal (e.g. ocs.internal)`,
  ]);
});

test("Logpush on a plan without it is refused at zt:logpush; unknown or enterprise plans pass", () => {
  const logpush = { destination: "r2", bucket: "zt-logs" };
  expect(problems({ ...good, logpush, plan: "free" })).toEqual([
    "Pulumi.nofile.yaml:1:1: zt:logpush: Logpush needs a Zero Trust Enterprise plan and zt:plan is free: remove zt:logpush, or set zt:plan to enterprise if the account has it",
  ]);
  expect(problems({ ...good, logpush, plan: "pay-as-you-go" })).toHaveLength(1);
  expect(problems({ ...good, logpush, plan: "enterprise" })).toEqual([]);
  expect(problems({ ...good, logpush })).toEqual([]);
  expect(problems({ ...good, plan: "free" })).toEqual([]);
  expect(problems({ ...good, plan: "gold" })[0]).toContain(
    "plan must be one of free, pay-as-you-go, enterprise",
  );
});
