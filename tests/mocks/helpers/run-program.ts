import * as pulumi from "@pulumi/pulumi";
import { disconnect } from "@pulumi/pulumi/runtime/settings";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { program } from "../../../src/program";

// Runs the real program under Pulumi's mocks and records every resource it declares, with inputs as
// the engine would receive them. Mocks prove the shape of the declarations, not that Cloudflare accepts them.

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** Top-level input keys that arrived marked secret. */
  secretKeys: string[];
}

export const TEST_ACCOUNT = "0123456789abcdef0123456789abcdef";
export const TEST_ZONE = "fedcba9876543210fedcba9876543210";
export const TEST_TOKEN = "TESTTOKEN_abcdefghijklmnopqrstuvwxyz0123456789";
export const TUNNEL_TOKEN = "eyJhIjoiMDEyMyIsInQiOiJ0dW5uZWwiLCJzIjoic2VjcmV0In0=";

export const baseConfig: Record<string, unknown> = {
  accountId: TEST_ACCOUNT,
  zoneId: TEST_ZONE,
  teamName: "example-org",
  tunnelName: "ocs-tunnel",
  apps: [{ name: "Open Chat Studio", hostname: "ocs.example.org", service: "http://ocs-web:8000" }],
  privateNetwork: {
    cidr: "172.18.0.0/16",
    internalDomain: "ocs.internal",
    dnsmasqAddress: "172.18.0.53",
    hosts: { "ocs.internal": "172.18.0.7" },
  },
  connector: { enabled: true, dockerHost: "ssh://deploy@app-server", replicas: 2 },
};

function findSecrets(inputs: Record<string, unknown>): {
  plain: Record<string, unknown>;
  secretKeys: string[];
} {
  const secretKeys: string[] = [];
  const unwrap = (v: unknown, top?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => unwrap(x, top));
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270") {
        if (top && !secretKeys.includes(top)) secretKeys.push(top);
        return unwrap(o.value, top);
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x, top)]));
    }
    return v;
  };
  const plain = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, unwrap(v, k)]));
  return { plain, secretKeys };
}

export async function runProgram(options: {
  usersYaml: string;
  config?: Record<string, unknown>;
  secrets?: Record<string, string>;
  today?: string;
}): Promise<{ resources: Recorded[]; outputs: Record<string, unknown> }> {
  const projectDir = mkdtempSync(join(tmpdir(), "zt-mocks-"));
  writeFileSync(join(projectDir, "users.yaml"), options.usersYaml);
  const resources: Recorded[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const { plain, secretKeys } = findSecrets(args.inputs);
        resources.push({ type: args.type, name: args.name, inputs: plain, secretKeys });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        if (
          args.token ===
          "cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken"
        ) {
          return { ...args.inputs, token: TUNNEL_TOKEN };
        }
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    "zt-gitops",
    "test",
    false,
  );
  const config = { ...baseConfig, ...options.config };
  const all: Record<string, string> = { "cloudflare:apiToken": TEST_TOKEN };
  for (const [k, v] of Object.entries(config))
    if (v !== undefined) all[`zt:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  for (const [k, v] of Object.entries(options.secrets ?? {})) all[k] = v;
  pulumi.runtime.setAllConfig(all, ["cloudflare:apiToken", ...Object.keys(options.secrets ?? {})]);
  // The error is caught here and rethrown after the run: thrown inside the stack, Pulumi would also
  // reject the stack's outputs, which surfaces as an unhandled rejection.
  let failure: unknown;
  const outputs =
    (await runInPulumiStack(async () => {
      try {
        // No Docker engine under mocks: the preflight is tested on a real one (tests/connector).
        return await program({ projectDir, today: options.today ?? "2026-11-23", dockerPreflight: false });
      } catch (error) {
        failure = error;
        return {};
      }
    })) ?? {};
  // Under mocks the stack returns before registrations that wait on other resources' ids; this drains them.
  await disconnect();
  if (failure) throw Object.assign(failure as Error, { declared: resources });
  return { resources, outputs: outputs as Record<string, unknown> };
}

export const byType = (resources: Recorded[], type: string) => resources.filter((r) => r.type === type);
export const one = (resources: Recorded[], type: string) => {
  const found = byType(resources, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
};
