import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { DEFAULT_FALLBACK_SUFFIXES } from "../../src/config/defaults";
import { byType, one, Recorded, runProgram } from "./helpers/run-program";

// Each runbook step an admin clicks by hand, asserted as the declaration that replaces it.

const CF = (t: string) => `cloudflare:index/${t[0].toLowerCase()}${t.slice(1)}:${t}`;
let resources: Recorded[];
let outputs: Record<string, unknown>;
/** The values of a list's entries (components/list-members.ts), found by the list's name. */
const entries = (list: string) => {
  const member = `members-${list.replace(/^access-/, "").replace(/^posture-serials-/, "")}`;
  const found = resources.filter((r) => r.name === member);
  expect(found).toHaveLength(1);
  expect(found[0].inputs.listId).toBe(`${list}-id`);
  return found[0].inputs.values as string[];
};

beforeAll(async () => {
  ({ resources, outputs } = await runProgram({ usersYaml: readFileSync("users.yaml", "utf8") }));
});

describe("the example users.yaml", () => {
  test("the EMAIL list holds exactly the active users, lower-cased and sorted", () => {
    const lists = byType(resources, CF("ZeroTrustList")).filter((r) => r.inputs.type === "EMAIL");
    expect(lists.map((l) => l.name)).toEqual(["access-emails-0"]);
    // The list is declared without items (Cloudflare's GET never returns them); its entries resource holds them.
    expect(lists[0].inputs.items).toBeUndefined();
    expect(entries("access-emails-0")).toEqual([
      "alice@example.org",
      "bob@example.org",
      "carol@example.org",
      "dan@example.org",
    ]);
  });

  test("one serial_number posture rule per OS, each over its own SERIAL list; a device without os is on every list", () => {
    const rules = byType(resources, CF("ZeroTrustDevicePostureRule"));
    expect(rules.map((r) => [r.name, r.inputs.type, r.inputs.matches, r.inputs.input]).sort()).toEqual([
      ["posture-linux-0", "serial_number", [{ platform: "linux" }], { id: "posture-serials-linux-0-id" }],
      ["posture-macos-0", "serial_number", [{ platform: "mac" }], { id: "posture-serials-macos-0-id" }],
      [
        "posture-windows-0",
        "serial_number",
        [{ platform: "windows" }],
        { id: "posture-serials-windows-0-id" },
      ],
    ]);
    const serials = Object.fromEntries(
      byType(resources, CF("ZeroTrustList"))
        .filter((r) => r.inputs.type === "SERIAL")
        .map((r) => [r.name, entries(r.name)]),
    );
    expect(serials).toEqual({
      "posture-serials-macos-0": ["C02XL0GHJGH5", "FVFZK1ABQ6L4", "R90X2Y3Z"],
      "posture-serials-windows-0": ["5CG1234XYZ", "R90X2Y3Z"],
      "posture-serials-linux-0": ["PF2ABCDE", "R90X2Y3Z"],
    });
  });

  test("the policy requires email AND device: include the email lists, require the posture group", () => {
    const group = one(resources, CF("ZeroTrustAccessGroup"));
    expect(group.inputs.includes).toEqual(
      ["macos", "windows", "linux"].map((os) => ({
        devicePosture: { integrationUid: `posture-${os}-0-id` },
      })),
    );
    const policy = one(resources, CF("ZeroTrustAccessPolicy"));
    expect(policy.inputs).toMatchObject({
      decision: "allow",
      includes: [{ emailList: { id: "access-emails-0-id" } }],
      requires: [{ group: { id: "access-registered-devices-id" } }],
    });
  });

  test("the application uses the app session and attaches the policy", () => {
    const app = one(resources, CF("ZeroTrustAccessApplication"));
    expect(app.inputs).toMatchObject({
      type: "self_hosted",
      domain: "ocs.example.org",
      sessionDuration: "8h",
      policies: [{ id: "access-allow-id", precedence: 1 }],
    });
    expect(one(resources, CF("ZeroTrustAccessPolicy")).inputs.sessionDuration).toBe("8h");
  });

  test("the WARP session reaches the organization with authenticate-via-WARP on", () => {
    expect(one(resources, CF("ZeroTrustOrganization")).inputs).toMatchObject({
      warpAuthSessionDuration: "24h",
      allowAuthenticateViaWarp: true,
      authDomain: "example-org.cloudflareaccess.com",
    });
  });

  test("tunnel ingress: one rule per hostname, then the http_status:404 catch-all; private route for the CIDR", () => {
    expect(one(resources, CF("ZeroTrustTunnelCloudflared")).inputs).toMatchObject({
      configSrc: "cloudflare",
      name: "ocs-tunnel",
    });
    const config = one(resources, CF("ZeroTrustTunnelCloudflaredConfig")).inputs.config as {
      ingresses: unknown[];
    };
    expect(config.ingresses).toEqual([
      { hostname: "ocs.example.org", service: "http://ocs-web:8000" },
      { service: "http_status:404" },
    ]);
    expect(one(resources, CF("ZeroTrustTunnelCloudflaredRoute")).inputs).toMatchObject({
      network: "172.18.0.0/16",
      tunnelId: "tunnel-id",
    });
    expect(one(resources, CF("DnsRecord")).inputs).toMatchObject({
      type: "CNAME",
      name: "ocs.example.org",
      content: "tunnel-id.cfargotunnel.com",
      proxied: true,
    });
  });

  test("Local Domain Fallback keeps Cloudflare's defaults and sends the internal domain to dnsmasq", () => {
    const domains = one(resources, CF("ZeroTrustDeviceDefaultProfileLocalDomainFallback")).inputs.domains as {
      suffix: string;
      dnsServers?: string[];
    }[];
    expect(domains[0]).toMatchObject({ suffix: "ocs.internal", dnsServers: ["172.18.0.53"] });
    expect(domains.slice(1).map((d) => d.suffix)).toEqual([...DEFAULT_FALLBACK_SUFFIXES]);
  });

  test("TCP and UDP proxy on; the split tunnel no longer excludes the private CIDR", () => {
    expect(one(resources, CF("ZeroTrustDeviceSettings")).inputs).toMatchObject({
      gatewayProxyEnabled: true,
      gatewayUdpProxyEnabled: true,
    });
    const excludes = (
      one(resources, CF("ZeroTrustDeviceDefaultProfile")).inputs.excludes as { address: string }[]
    ).map((e) => e.address);
    expect(excludes).not.toContain("172.16.0.0/12");
    expect(excludes).toEqual(
      expect.arrayContaining([
        "172.16.0.0/15",
        "172.19.0.0/16",
        "172.20.0.0/14",
        "172.24.0.0/13",
        "10.0.0.0/8",
      ]),
    );
  });

  test("connector: two cloudflared replicas restarting unless-stopped, and dnsmasq at its fixed address", () => {
    const containers = byType(resources, "docker:index/container:Container");
    expect(containers.map((c) => c.name).sort()).toEqual([
      "connector-cloudflared-1",
      "connector-cloudflared-2",
      "connector-dnsmasq",
    ]);
    for (const c of containers.filter((c) => c.name.includes("cloudflared"))) {
      expect(c.inputs).toMatchObject({
        command: ["tunnel", "--no-autoupdate", "run"],
        restart: "unless-stopped",
      });
    }
    const dns = containers.find((c) => c.name === "connector-dnsmasq")!;
    expect(dns.inputs.networksAdvanced).toEqual([{ name: "zt-private", ipv4Address: "172.18.0.53" }]);
    expect(dns.inputs.command).toContain("--address=/ocs.internal/172.18.0.7");
    expect(one(resources, "pulumi:providers:docker").inputs.host).toBe("ssh://deploy@app-server");
  });

  test("one revocation ledger holds every active user with their device serials", () => {
    expect(resources.find((r) => r.name === "revoke-on-removal-ledger")).toMatchObject({
      inputs: {
        grants: {
          "alice@example.org": ["C02XL0GHJGH5"],
          "bob@example.org": ["5CG1234XYZ", "PF2ABCDE"],
          "carol@example.org": ["FVFZK1ABQ6L4"],
          "dan@example.org": ["R90X2Y3Z"],
        },
      },
    });
  });

  test("outputs: URLs, counts and the managed emails", () => {
    expect(outputs).toMatchObject({
      applicationUrls: ["https://ocs.example.org"],
      users: 4,
      devices: 5,
      managedEmails: ["alice@example.org", "bob@example.org", "carol@example.org", "dan@example.org"],
    });
  });
});
