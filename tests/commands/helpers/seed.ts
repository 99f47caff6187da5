// Puts into the emulator what `npm run up` would create for the test project, through the Cloudflare
// API with the official SDK and the same builders the components use (src/model), named as the
// components name them. Then the parts only Cloudflare itself produces (tunnel connections, WARP
// registrations, sign-in events) through the emulator's admin API.
import Cloudflare from "cloudflare";
import { join } from "node:path";
import type { RunningEmulator } from "../../../emulator";
import { loadStackFile } from "../../../src/config/stack-file";
import { emailLists, POSTURE_PLATFORM, serialLists } from "../../../src/model/access";
import { fallbackDomains, ingressRules, splitTunnelExcludes } from "../../../src/model/network";
import { loadUsersFile } from "../../../src/users/load";
import {
  DEVICE_GROUP_NAME,
  emailListName,
  POLICY_NAME,
  postureRuleName,
  serialListName,
} from "../../../src/model/names";
import { NOW, Project, TOKEN } from "./project";

export interface Seeded {
  tunnelId: string;
  appId: string;
  policyId: string;
  groupId: string;
  emailListIds: string[];
  postureRuleIds: string[];
  serialListIds: string[];
}

export function sdk(emu: RunningEmulator): Cloudflare {
  return new Cloudflare({
    apiToken: TOKEN,
    apiKey: null,
    apiEmail: null,
    baseURL: emu.apiBase,
    maxRetries: 0,
  });
}

export async function admin(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(`${emu.url}/__admin${path}`, {
    method,
    headers: body !== undefined ? { "Content-Type": "application/json" } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`admin ${method} ${path} -> ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The healthy account for `project`: every resource the stack declares, two connectors up. */
export async function seedHealthy(emu: RunningEmulator, project: Project): Promise<Seeded> {
  const { config } = loadStackFile(project.dir, "local");
  const users = loadUsersFile(join(project.dir, "users.yaml"), { today: NOW.toISOString().slice(0, 10) });
  if (!config || !users.state) throw new Error("test project does not load");
  const desired = users.state;
  const cf = sdk(emu);
  const account_id = emu.accountId;

  const tunnel = await cf.zeroTrust.tunnels.cloudflared.create({
    account_id,
    name: config.tunnelName,
    config_src: "cloudflare",
  });
  const tunnelId = tunnel.id!;
  await cf.zeroTrust.tunnels.cloudflared.configurations.update(tunnelId, {
    account_id,
    config: { ingress: ingressRules(config.apps) as never },
  });
  await cf.zeroTrust.networks.routes.create({
    account_id,
    network: config.privateNetwork.cidr,
    tunnel_id: tunnelId,
    comment: "Private network reached through WARP (managed by zt-gitops)",
  });

  const emailListIds: string[] = [];
  for (const spec of emailLists(desired)) {
    const l = await cf.zeroTrust.gateway.lists.create({
      account_id,
      name: emailListName(spec.index),
      type: "EMAIL",
      description: "Allowed users (managed by zt-gitops from users.yaml)",
      items: spec.emails.map((value) => ({ value })),
    });
    emailListIds.push(l.id!);
  }
  const postureRuleIds: string[] = [];
  const serialListIds: string[] = [];
  for (const spec of serialLists(desired)) {
    const l = await cf.zeroTrust.gateway.lists.create({
      account_id,
      name: serialListName(spec.os, spec.index),
      type: "SERIAL",
      description: "Registered device serials (managed by zt-gitops from users.yaml)",
      items: spec.serials.map((value) => ({ value })),
    });
    serialListIds.push(l.id!);
    const rule = await cf.zeroTrust.devices.posture.create({
      account_id,
      name: postureRuleName(spec.os, spec.index),
      type: "serial_number",
      description: "Device serial is registered in users.yaml",
      input: { id: l.id! } as never,
      match: [{ platform: POSTURE_PLATFORM[spec.os] }],
    });
    postureRuleIds.push(rule!.id!);
  }
  const group = await cf.zeroTrust.access.groups.create({
    account_id,
    name: DEVICE_GROUP_NAME,
    include: postureRuleIds.map((integration_uid) => ({ device_posture: { integration_uid } })),
  });
  const policy = await cf.zeroTrust.access.policies.create({
    account_id,
    name: POLICY_NAME,
    decision: "allow",
    include: emailListIds.map((id) => ({ email_list: { id } })),
    require: [{ group: { id: group.id! } }],
    session_duration: desired.sessions.app,
  });
  let appId = "";
  for (const app of config.apps) {
    const created = await cf.zeroTrust.access.applications.create({
      account_id,
      name: app.name,
      type: "self_hosted",
      domain: app.hostname,
      session_duration: desired.sessions.app,
      app_launcher_visible: true,
      http_only_cookie_attribute: true,
      policies: [{ id: policy.id!, precedence: 1 }],
    } as never);
    appId = (created as { id: string }).id;
  }
  await cf.zeroTrust.organizations.update({
    account_id,
    name: config.teamName,
    auth_domain: `${config.teamName}.cloudflareaccess.com`,
    allow_authenticate_via_warp: true,
    warp_auth_session_duration: desired.sessions.warp,
  });
  await cf.zeroTrust.devices.policies.default.fallbackDomains.update({
    account_id,
    domains: fallbackDomains(config.privateNetwork.internalDomain, config.privateNetwork.dnsmasqAddress).map(
      (d) => ({ suffix: d.suffix, description: d.description, dns_server: d.dnsServers }),
    ),
  });
  await cf.zeroTrust.devices.settings.update({
    account_id,
    gateway_proxy_enabled: true,
    gateway_udp_proxy_enabled: true,
  });
  await cf.zeroTrust.devices.policies.default.edit({
    account_id,
    exclude: splitTunnelExcludes(config.privateNetwork.cidr),
  });
  await admin(emu, "PUT", `/tunnels/${tunnelId}/status`, {
    status: "healthy",
    connectors: [{ conns: 4 }, { conns: 4 }],
  });
  return {
    tunnelId,
    appId,
    policyId: policy.id!,
    groupId: group.id!,
    emailListIds,
    postureRuleIds,
    serialListIds,
  };
}

/** WARP registrations for devices (serial -> owner), last seen at the given times. */
export async function seedDevices(
  emu: RunningEmulator,
  devices: Array<{ email: string; serial: string; lastSeen: string; id?: string; name?: string }>,
): Promise<Array<{ id: string; device: { id: string } }>> {
  return (await admin(
    emu,
    "POST",
    "/registrations",
    devices.map((d) => ({
      user: { email: d.email },
      device: {
        id: d.id ?? `dev-${d.serial.toLowerCase()}`,
        name: d.name ?? `${d.email.split("@")[0]}-device`,
        serial_number: d.serial,
      },
      created_at: "2026-06-01T09:00:00Z",
      last_seen_at: d.lastSeen,
    })),
  )) as Array<{ id: string; device: { id: string } }>;
}

export interface SignIn {
  email: string;
  at: string;
  allowed?: boolean;
  app?: string;
  device_id?: string;
}

export async function seedSignIns(emu: RunningEmulator, events: SignIn[]): Promise<void> {
  await admin(
    emu,
    "POST",
    "/access_requests",
    events.map((e, i) => ({
      user_email: e.email,
      created_at: e.at,
      allowed: e.allowed ?? true,
      app_domain: e.app ?? "ocs.example.org",
      ray_id: `ray${String(i).padStart(4, "0")}`,
      ...(e.device_id ? { device_id: e.device_id } : {}),
    })),
  );
}
