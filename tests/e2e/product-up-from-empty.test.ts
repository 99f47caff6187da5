// `up` on an empty account creates every resource of the runbook, and what the emulator then holds is
// what the runbook asks for: the real program, the real engine and provider, the local Cloudflare API.
import { readFileSync } from "node:fs";
import type { UpResult } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FALLBACK_DOMAINS, DEFAULT_SPLIT_TUNNEL_EXCLUDE, type RunningEmulator } from "../../emulator";
import { DEFAULT_FALLBACK_SUFFIXES } from "../../src/config/defaults";
import { openProductStack, type ProductStack } from "../../bench/harness/product-stack";
import {
  capture,
  deployedGrants,
  describeSteps,
  EXAMPLE_OBJECT_COUNTS,
  ledgerChange,
  listValues,
  objectCounts,
  type RunCapture,
  type Step,
} from "../../bench/harness/product-run";

const EXAMPLE_USERS = readFileSync("users.yaml", "utf8");

/** The managed resources the example users.yaml and Pulumi.local.yaml declare (connector off). */
const EXPECTED_RESOURCES = [
  "access-allow",
  "access-app-ocs.example.org",
  "access-emails-0",
  "access-registered-devices",
  "device-profile-default",
  "device-profile-local-domain-fallback",
  "device-profile-settings",
  "members-emails-0",
  "members-linux-0",
  "members-macos-0",
  "members-windows-0",
  "organization",
  "posture-linux-0",
  "posture-macos-0",
  "posture-serials-linux-0",
  "posture-serials-macos-0",
  "posture-serials-windows-0",
  "posture-windows-0",
  "revoke-on-removal-ledger",
  "tunnel",
  "tunnel-config",
  "tunnel-dns-ocs.example.org",
  "tunnel-private-route",
];

const managed = (steps: Step[]) =>
  steps.filter((s) => !s.type.startsWith("pulumi:providers:") && !s.type.startsWith("zt:index:"));

/** IPv4 CIDR a contains address b (both dotted quads / prefix). */
function overlaps(cidr: string, other: string): boolean {
  if (cidr.includes(":") || other.includes(":")) return false;
  const parse = (c: string) => {
    const [ip, len] = c.split("/");
    const n = ip.split(".").reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;
    return { n, len: Number(len ?? 32) };
  };
  const a = parse(cidr);
  const b = parse(other);
  const len = Math.min(a.len, b.len);
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  return (a.n & mask) === (b.n & mask);
}

describe("up from an empty account", () => {
  let product: ProductStack;
  let emulator: RunningEmulator;
  let run: RunCapture;
  let result: UpResult;
  let freshAccount: { fallbackDomains: Array<{ suffix: string }>; exclude: Array<{ address: string }> };

  beforeAll(async () => {
    product = await openProductStack({ usersYaml: EXAMPLE_USERS, name: "zt-e2e-up" });
    emulator = product.emulator;
    freshAccount = {
      fallbackDomains: structuredClone(emulator.state.data.devices.fallbackDomains) as Array<{
        suffix: string;
      }>,
      exclude: structuredClone(emulator.state.data.devices.profile.exclude) as Array<{ address: string }>,
    };
    run = capture();
    result = await product.stack.up(run.opts);
  });

  afterAll(async () => {
    await product?.close();
  });

  it("creates every declared resource, and only creates", () => {
    expect(result.summary.result).toBe("succeeded");
    const steps = managed(run.steps());
    expect(steps.map((s) => s.name).sort()).toEqual(EXPECTED_RESOURCES);
    expect(
      steps.filter((s) => s.op !== "create"),
      describeSteps(steps).join("\n"),
    ).toEqual([]);
    expect(objectCounts(emulator)).toEqual(EXAMPLE_OBJECT_COUNTS);
  });

  it("the revocation ledger holds every active user with their devices' serials, and revoked nobody", async () => {
    expect(await deployedGrants(product.stack)).toEqual({
      "alice@example.org": ["C02XL0GHJGH5"],
      "bob@example.org": ["5CG1234XYZ", "PF2ABCDE"],
      "carol@example.org": ["FVFZK1ABQ6L4"],
      "dan@example.org": ["R90X2Y3Z"],
    });
    expect(ledgerChange(run.events)).toMatchObject({ op: "create", revokes: { users: [], devices: [] } });
    expect(emulator.state.data.access.revocations).toEqual([]);
  });

  it("the EMAIL list holds exactly the active users' emails", () => {
    const lists = emulator.state.data.lists.filter((l) => l.type === "EMAIL");
    expect(lists.map((l) => l.name)).toEqual(["zt-gitops users 1"]);
    expect(listValues(emulator, /^zt-gitops users /)).toEqual([
      "alice@example.org",
      "bob@example.org",
      "carol@example.org",
      "dan@example.org",
    ]);
  });

  it("each OS has its SERIAL list and serial_number posture rule; a device without os is on every list", () => {
    expect(listValues(emulator, /^zt-gitops macos serials/)).toEqual([
      "C02XL0GHJGH5",
      "FVFZK1ABQ6L4",
      "R90X2Y3Z",
    ]);
    expect(listValues(emulator, /^zt-gitops windows serials/)).toEqual(["5CG1234XYZ", "R90X2Y3Z"]);
    expect(listValues(emulator, /^zt-gitops linux serials/)).toEqual(["PF2ABCDE", "R90X2Y3Z"]);
    const listId = (name: string) => emulator.state.data.lists.find((l) => l.name === name)?.id;
    const rules = emulator.state.data.devices.posture.map((r) => ({
      name: r.name,
      type: r.type,
      input: r.input,
      match: r.match,
    }));
    expect(rules.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual([
      {
        name: "zt-gitops registered linux device 1",
        type: "serial_number",
        input: { id: listId("zt-gitops linux serials 1") },
        match: [{ platform: "linux" }],
      },
      {
        name: "zt-gitops registered macos device 1",
        type: "serial_number",
        input: { id: listId("zt-gitops macos serials 1") },
        match: [{ platform: "mac" }],
      },
      {
        name: "zt-gitops registered windows device 1",
        type: "serial_number",
        input: { id: listId("zt-gitops windows serials 1") },
        match: [{ platform: "windows" }],
      },
    ]);
  });

  it("the policy admits email AND registered device, and is the application's only policy", () => {
    const s = emulator.state.data;
    const [group] = s.access.groups;
    expect(
      group.include
        .map((i: { device_posture: { integration_uid: string } }) => i.device_posture.integration_uid)
        .sort(),
    ).toEqual(s.devices.posture.map((r) => r.id).sort());
    const [policy] = s.access.policies;
    const emailList = s.lists.find((l) => l.type === "EMAIL")!;
    expect(policy).toMatchObject({
      decision: "allow",
      include: [{ email_list: { id: emailList.id } }],
      require: [{ group: { id: group.id } }],
    });
    const [app] = s.access.apps;
    expect(app).toMatchObject({
      type: "self_hosted",
      domain: "ocs.example.org",
      policies: [{ id: policy.id, precedence: 1 }],
    });
  });

  it("the app session (8h) is on the application and its policy; the WARP session (24h) is on the organization", () => {
    const s = emulator.state.data;
    expect(s.access.apps[0].session_duration).toBe("8h");
    expect(s.access.policies[0].session_duration).toBe("8h");
    expect(s.access.organization).toMatchObject({
      name: "example-org",
      auth_domain: "example-org.cloudflareaccess.com",
      allow_authenticate_via_warp: true,
      warp_auth_session_duration: "24h",
    });
  });

  it("the tunnel is remotely managed; its ingress ends with the http_status:404 catch-all; DNS and the private route point at it", () => {
    const s = emulator.state.data;
    const [tunnel] = s.tunnels.items;
    expect(tunnel).toMatchObject({ name: "ocs-tunnel", config_src: "cloudflare" });
    expect(result.outputs.tunnelId.value).toBe(tunnel.id);
    const ingress = s.tunnels.configs[tunnel.id].config.ingress as Array<{
      hostname?: string;
      service: string;
    }>;
    expect(ingress).toEqual([
      { hostname: "ocs.example.org", service: "http://ocs-web:8000" },
      { service: "http_status:404" },
    ]);
    expect(ingress.at(-1)).toEqual({ service: "http_status:404" });
    expect(s.dnsRecords).toEqual([
      expect.objectContaining({
        type: "CNAME",
        name: "ocs.example.org",
        content: `${tunnel.id}.cfargotunnel.com`,
        proxied: true,
      }),
    ]);
    expect(s.tunnels.routes).toEqual([
      expect.objectContaining({ network: "172.18.0.0/16", tunnel_id: tunnel.id }),
    ]);
  });

  it("Local Domain Fallback sends the internal domain to dnsmasq and keeps the product's list of Cloudflare defaults", () => {
    const domains = emulator.state.data.devices.fallbackDomains as Array<{
      suffix: string;
      dns_server?: string[];
    }>;
    expect(domains.filter((d) => d.suffix === "ocs.internal")).toEqual([
      expect.objectContaining({ suffix: "ocs.internal", dns_server: ["172.18.0.53"] }),
    ]);
    expect(domains.map((d) => d.suffix)).toEqual(expect.arrayContaining([...DEFAULT_FALLBACK_SUFFIXES]));
    // Defaults resolve locally: they carry no DNS server of ours.
    for (const d of domains.filter((x) => x.suffix !== "ocs.internal"))
      expect(d.dns_server, d.suffix).toBeUndefined();
  });

  it("Local Domain Fallback keeps every entry the fresh account started with", () => {
    // The emulator's new account has Cloudflare's defaults (emulator/constants.ts DEFAULT_FALLBACK_DOMAINS);
    // the resource replaces the whole list, so any default the program does not resend is lost.
    expect(freshAccount.fallbackDomains.map((d) => d.suffix).sort()).toEqual(
      DEFAULT_FALLBACK_DOMAINS.map((d) => d.suffix).sort(),
    );
    const kept = new Set(
      (emulator.state.data.devices.fallbackDomains as Array<{ suffix: string }>).map((d) => d.suffix),
    );
    expect(
      freshAccount.fallbackDomains.map((d) => d.suffix).filter((s) => !kept.has(s)),
      "default entries dropped by up",
    ).toEqual([]);
  });

  it("Gateway proxy is on for TCP and UDP", () => {
    expect(emulator.state.data.devices.settings).toMatchObject({
      gateway_proxy_enabled: true,
      gateway_udp_proxy_enabled: true,
    });
  });

  it("the split tunnel no longer excludes the private CIDR, and keeps every other default exclude", () => {
    const profile = emulator.state.data.devices.profile;
    expect(profile.include ?? []).toEqual([]);
    const excludes = (profile.exclude as Array<{ address: string }>).map((e) => e.address);
    expect(
      excludes.filter((a) => overlaps(a, "172.18.0.0/16")),
      "excludes covering 172.18.0.0/16",
    ).toEqual([]);
    expect(excludes).toEqual(
      expect.arrayContaining(["172.16.0.0/15", "172.19.0.0/16", "172.20.0.0/14", "172.24.0.0/13"]),
    );
    // The fresh account's other excludes are all still there.
    expect(freshAccount.exclude.map((e) => e.address)).toEqual(
      DEFAULT_SPLIT_TUNNEL_EXCLUDE.map((e) => e.address),
    );
    expect(excludes).toEqual(
      expect.arrayContaining(freshAccount.exclude.map((e) => e.address).filter((a) => a !== "172.16.0.0/12")),
    );
  });
});
