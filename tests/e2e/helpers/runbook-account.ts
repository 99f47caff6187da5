// An account built the way the runbook's dashboard steps build it (issue 16 item 4), through the official
// SDK against the emulator: a tunnel with its public hostname and private route, the "Open Chat Studio"
// application whose Allow policy includes three emails one by one and requires a serial-number posture
// rule, that rule holding three serials for two OSes (one SERIAL list, platforms mac and windows),
// Local Domain Fallback to dnsmasq plus an entry of the admin's own, device settings, a default profile
// with tunnel_protocol set, sessions 12h (app) and 48h (WARP), and each device enrolled in WARP.
import type Cloudflare from "cloudflare";
import { EMULATOR_DEFAULT_TOKEN, type RunningEmulator } from "../../../emulator";
import { createClient } from "../../../src/cloudflare/client";
import { admin } from "../../../bench/harness/product-run";

export const RUNBOOK = {
  host: "ocs.example.org",
  tunnelName: "ocs-by-hand",
  service: "http://ocs-web:8000",
  cidr: "172.18.0.0/16",
  internalDomain: "ocs.internal",
  dnsmasq: "172.18.0.53",
  adminFallback: { suffix: "corp.example.net", dns_server: ["10.20.0.53"], description: "Head office DNS" },
  people: [
    { email: "amara@example.org", serial: "C02AMARA001", os: "macos" },
    { email: "bo@example.org", serial: "C02BOMAC002", os: "macos" },
    { email: "chen@example.org", serial: "WINCHEN0003", os: "windows" },
  ],
} as const;

export interface RunbookIds {
  tunnel: string;
  app: string;
  policy: string;
  postureRule: string;
  serialList: string;
}

export const sdkFor = (emulator: RunningEmulator): Cloudflare =>
  createClient({ apiToken: EMULATOR_DEFAULT_TOKEN, baseUrl: emulator.apiBase });

export async function seedRunbookAccount(
  emulator: RunningEmulator,
  defaultFallback: string[],
): Promise<RunbookIds> {
  const cf = sdkFor(emulator);
  const account_id = emulator.accountId;
  const z = cf.zeroTrust;
  // Networks > Tunnels: create, public hostname, private network.
  const tunnel = await z.tunnels.cloudflared.create({
    account_id,
    name: RUNBOOK.tunnelName,
    config_src: "cloudflare",
  });
  await z.tunnels.cloudflared.configurations.update(tunnel.id!, {
    account_id,
    config: {
      ingress: [{ hostname: RUNBOOK.host, service: RUNBOOK.service }, { service: "http_status:404" }],
    } as never,
  });
  await cf.dns.records.create({
    zone_id: emulator.zoneId,
    name: RUNBOOK.host,
    type: "CNAME",
    content: `${tunnel.id}.cfargotunnel.com`,
    proxied: true,
    ttl: 1,
  });
  await z.networks.routes.create({ account_id, network: RUNBOOK.cidr, tunnel_id: tunnel.id! });
  // Settings > WARP Client > Device posture: the serial-number rule and its list.
  const list = await z.gateway.lists.create({
    account_id,
    name: "Team laptops",
    type: "SERIAL",
    items: RUNBOOK.people.map((p) => ({ value: p.serial })),
  });
  const rule = (await z.devices.posture.create({
    account_id,
    name: "Registered serial numbers",
    type: "serial_number",
    input: { id: list.id! },
    match: [{ platform: "mac" }, { platform: "windows" }],
  } as never))!;
  // Access > Applications > Open Chat Studio, its Allow policy with the emails one by one.
  const policy = await z.access.policies.create({
    account_id,
    name: "Allow team",
    decision: "allow",
    include: RUNBOOK.people.map((p) => ({ email: { email: p.email } })),
    require: [{ device_posture: { integration_uid: rule.id! } }],
  } as never);
  const app = (await z.access.applications.create({
    account_id,
    name: "Open Chat Studio",
    type: "self_hosted",
    domain: RUNBOOK.host,
    session_duration: "12h",
    policies: [{ id: policy.id!, precedence: 1 }],
  } as never)) as { id: string };
  await z.identityProviders.create({
    account_id,
    name: "One-time PIN",
    type: "onetimepin",
    config: {},
  } as never);
  // Settings: organization (team, WARP session 48h), device settings, default profile, fallback.
  await z.organizations.update({
    account_id,
    name: "example-org",
    auth_domain: "example-org.cloudflareaccess.com",
    allow_authenticate_via_warp: true,
    warp_auth_session_duration: "48h",
    session_duration: "24h",
    auto_redirect_to_identity: true,
  } as never);
  await z.devices.settings.update({
    account_id,
    gateway_proxy_enabled: true,
    gateway_udp_proxy_enabled: true,
    root_certificate_installation_enabled: true,
    use_zt_virtual_ip: true,
  } as never);
  await z.devices.policies.default.edit({
    account_id,
    tunnel_protocol: "wireguard",
    auto_connect: 15,
  } as never);
  await z.devices.policies.default.fallbackDomains.update({
    account_id,
    domains: [
      { suffix: RUNBOOK.internalDomain, dns_server: [RUNBOOK.dnsmasq] },
      RUNBOOK.adminFallback,
      ...defaultFallback.map((suffix) => ({ suffix })),
    ],
  } as never);
  // Each person enrolled their device in WARP (runbook step 4).
  await admin(
    emulator,
    "POST",
    "devices",
    RUNBOOK.people.map((p) => ({ serial: p.serial, email: p.email, os: p.os })),
  );
  return { tunnel: tunnel.id!, app: app.id, policy: policy.id!, postureRule: rule.id!, serialList: list.id! };
}
