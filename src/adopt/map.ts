import { formatDuration } from "../model/sessions";
import type { Os } from "../users/schema";
import type { Discovery } from "./discovery";
import { cloudflareMinutes, pickApp, pickTunnel, readDevices, readNetwork, readPolicy } from "./find";
import { adoptionImports, type AdoptionRecord } from "./record";

// Pure: what the account holds (Discovery) -> what the stack will say (users, stack settings) and what the
// next `up` must import, carry or retire (the adoption record), with the report in the admin's words.
// Anything the product does not model refuses the adoption with every reason named: nothing the admin
// built is ever dropped silently.

export interface AdoptOptions {
  stack: string;
  app?: string;
  tunnel?: string;
  /** ISO time written into the record. */
  now: string;
  /** `zt:privateNetwork.hosts` already in the stack file (Cloudflare does not know dnsmasq's names). */
  hosts?: Record<string, string>;
}

export interface AdoptedDevice {
  serial: string;
  os?: Os;
  /** Where it was found, for the users.yaml comment. */
  source: string;
}

export interface AdoptedUser {
  email: string;
  source: string;
  devices: AdoptedDevice[];
}

export interface StackValues {
  teamName: string;
  tunnelName: string;
  apps: { name: string; hostname: string; service: string }[];
  privateNetwork: {
    cidr: string;
    internalDomain: string;
    dnsmasqAddress: string;
    hosts: Record<string, string>;
    extraFallback: { suffix: string; description?: string; dnsServers?: string[] }[];
  };
}

export interface Report {
  found: string[];
  managed: string[];
  changes: string[];
  notUnderstood: string[];
}

export interface Adoption {
  users: AdoptedUser[];
  sessions: { app: string; warp: string; appSource: string; warpSource: string };
  config: StackValues;
  record: AdoptionRecord;
  report: Report;
}

export type AdoptResult =
  | { kind: "adopted"; adoption: Adoption }
  | { kind: "nothing"; lines: string[] }
  | { kind: "ambiguous"; lines: string[] }
  | { kind: "refused"; lines: string[]; report: Report };

/** Device settings the stack leaves to the account (components/device-profile.ts), as the API names them. */
export const CARRIED_DEVICE_SETTINGS = [
  "disable_for_time",
  "external_emergency_signal_enabled",
  "external_emergency_signal_fingerprint",
  "external_emergency_signal_interval",
  "external_emergency_signal_url",
  "root_certificate_installation_enabled",
  "use_zt_virtual_ip",
] as const;

/** Organization fields the stack leaves to the account (components/organization.ts), as the API names them. */
export const CARRIED_ORGANIZATION = [
  "auto_redirect_to_identity",
  "custom_pages",
  "deny_unmatched_requests",
  "deny_unmatched_requests_exempted_zone_names",
  "is_ui_read_only",
  "login_design",
  "mfa_config",
  "mfa_configuration_allowed",
  "mfa_required_for_all_apps",
  "mfa_ssh_piv_key_requirements",
  "session_duration",
  "ui_read_only_toggle_reason",
  "user_seat_expiration_inactive_time",
  "warp_auth_non_browser_401",
] as const;

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** API values -> Pulumi inputs: keys camelCased at every level. */
const inputs = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(inputs)
    : v !== null && typeof v === "object"
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), inputs(x)]))
      : v;
const carried = (from: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(
    keys.filter((k) => from[k] !== undefined && from[k] !== null).map((k) => [camel(k), inputs(from[k])]),
  );

export function adopt(d: Discovery, opts: AdoptOptions): AdoptResult {
  const picked = pickApp(d, opts);
  if ("kind" in picked) return picked;
  const app = picked;
  const host = app.domain.split("/")[0];
  const problems: string[] = [];
  const report: Report = { found: [], managed: [], changes: [], notUnderstood: [] };
  report.found.push(`Access application "${app.name}" for ${host} (id ${app.id})`);

  // Policies: exactly one Allow policy, reusable; anything else would be detached by the first apply.
  const policies = app.policies.map((ref) => ({ ref, policy: d.policies.find((p) => p.id === ref.id) }));
  for (const { ref, policy } of policies) {
    if (!policy)
      problems.push(
        `"${app.name}" has an application-scoped policy "${ref.name ?? "?"}" (${ref.decision ?? "?"}): adopt maps reusable policies only; make it reusable in the dashboard first`,
      );
    else if (policy.decision !== "allow")
      problems.push(
        `"${app.name}" has a ${policy.decision === "bypass" ? "Bypass" : policy.decision} policy "${policy.name}": the stack would detach it; adopt does not model it`,
      );
  }
  const allows = policies.flatMap((p) => (p.policy?.decision === "allow" ? [p.policy] : []));
  if (allows.length > 1)
    problems.push(
      `"${app.name}" has ${allows.length} Allow policies (${allows.map((p) => `"${p.name}"`).join(", ")}): the stack manages one; merge them first`,
    );
  const policy = allows[0];
  if (!policy && problems.length === 0) problems.push(`"${app.name}" has no Allow policy`);
  const reading = policy ? readPolicy(d, policy, problems) : { emails: [], serialRules: [], retire: [] };
  if (policy)
    report.found.push(
      `its Allow policy "${policy.name}" (id ${policy.id}): ${reading.emails.length} email(s)`,
    );
  const devices = readDevices(d, reading.serialRules, problems, reading.retire);
  for (const r of reading.serialRules)
    report.found.push(
      `device posture rule "${r.name}" (${r.platforms.join(", ") || "any platform"}), ${[...devices.values()].filter((x) => x.source.includes(`"${r.name}"`)).length} serial(s)`,
    );

  // Each serial belongs to the user who enrolled it in WARP; a serial nobody listed enrolled is refused.
  const users = new Map<string, AdoptedUser>();
  for (const e of reading.emails)
    if (!users.has(e.email)) users.set(e.email, { email: e.email, source: e.source, devices: [] });
  for (const [serial, info] of devices) {
    const owner = d.registrations.find(
      (r) => r.serial.toLowerCase() === serial.toLowerCase() && users.has(r.email),
    );
    if (!owner) {
      problems.push(
        `serial ${serial} (${info.source}) is not enrolled in WARP by any user of the policy: say whose it is by enrolling it, or remove it from the list`,
      );
      continue;
    }
    users.get(owner.email)!.devices.push({ serial, os: info.os, source: info.source });
  }

  const tunnel = pickTunnel(d, app, opts, problems);
  let network: ReturnType<typeof readNetwork> = { kept: [] };
  const ingress = tunnel?.ingress.filter((r) => r.hostname) ?? [];
  if (tunnel) {
    report.found.push(`tunnel "${tunnel.name}" (id ${tunnel.id}) with ${ingress.length} public hostname(s)`);
    for (const r of ingress)
      if (r.hostname !== host)
        problems.push(
          `tunnel "${tunnel.name}" also serves ${r.hostname}, which is not ${host}: adopt one application per tunnel`,
        );
    network = readNetwork(d, tunnel, problems, opts.hosts ?? {});
  }
  const service = ingress.find((r) => r.hostname === host)?.service;
  const dns = d.dns.find((r) => r.name === host);
  if (dns && tunnel && !(dns.type === "CNAME" && dns.content === `${tunnel.id}.cfargotunnel.com`))
    problems.push(
      `DNS record ${host} is ${dns.type} ${dns.content}, not the tunnel's CNAME: point it at the tunnel first`,
    );

  const org = d.organization ?? {};
  const authDomain = String(org.auth_domain ?? "");
  const teamName = authDomain.replace(/\.cloudflareaccess\.com$/, "");
  if (!teamName) problems.push("the account has no Zero Trust organization (team domain)");
  const appMinutes = cloudflareMinutes(app.sessionDuration) ?? 24 * 60;
  const warpMinutes = cloudflareMinutes(String(org.warp_auth_session_duration ?? "")) ?? 24 * 60;
  if (d.logpushJobs.length)
    report.notUnderstood.push(
      `${d.logpushJobs.length} Logpush job(s) (${d.logpushJobs.map((j) => j.name ?? j.dataset ?? j.id).join(", ")}): left unmanaged and untouched; set zt:logpush to manage them`,
    );
  for (const u of d.unreadable) report.notUnderstood.push(`could not read ${u}`);

  if (problems.length > 0 || !policy || !tunnel || !network.values || !service) {
    report.notUnderstood.push(...problems);
    return {
      kind: "refused",
      report,
      lines: [
        `Adoption refused: the account holds ${problems.length} thing(s) the stack does not model, and adopting would drop or change them:`,
        ...problems.map((p) => `  - ${p}`),
        `Nothing was written.`,
      ],
    };
  }

  const adoptedUsers = [...users.values()];
  const config: StackValues = {
    teamName,
    tunnelName: tunnel.name,
    apps: [{ name: app.name, hostname: host, service }],
    privateNetwork: network.values,
  };
  const carriedSettings = carried(d.deviceSettings, CARRIED_DEVICE_SETTINGS);
  const carriedOrg = carried(org, CARRIED_ORGANIZATION);
  const record: AdoptionRecord = {
    version: 1,
    stack: opts.stack,
    accountId: d.accountId,
    adoptedAt: opts.now,
    imports: adoptionImports({
      accountId: d.accountId,
      zoneId: d.zoneId,
      tunnel,
      routeId: network.routeId!,
      dnsId: dns?.id,
      host,
      app,
      policy,
    }),
    carry: [
      {
        type: "cloudflare:index/zeroTrustDeviceSettings:ZeroTrustDeviceSettings",
        name: "device-profile-settings",
        props: carriedSettings,
        what: "device settings the stack does not manage (sent with the first PUT, then kept by ignoreChanges)",
      },
      {
        type: "cloudflare:index/zeroTrustOrganization:ZeroTrustOrganization",
        name: "organization",
        props: carriedOrg,
        what: "organization fields the stack does not manage (sent with the first PUT, then kept by ignoreChanges)",
      },
    ],
    retire: reading.retire,
    firstApply: report.changes,
  };

  const emails = adoptedUsers.length;
  const serialCount = adoptedUsers.reduce((n, u) => n + u.devices.length, 0);
  report.managed.push(
    `tunnel "${tunnel.name}", its public hostname ${host} -> ${service}, the private route ${network.values.cidr} and ${dns ? "the DNS record" : "a new DNS record"} for ${host}`,
    `Access application "${app.name}" and its Allow policy "${policy.name}"`,
    `${emails} user(s) and ${serialCount} device(s), now in users.yaml`,
    `Local Domain Fallback (${network.values.internalDomain} -> ${network.values.dnsmasqAddress}${network.kept.length ? `, and your own ${network.kept.map((f) => f.suffix).join(", ")}, kept in zt:privateNetwork.extraFallback` : ""}), the Gateway proxy with UDP, the default device profile's split tunnel`,
    `sessions: app ${formatDuration(appMinutes)}, WARP ${formatDuration(warpMinutes)}`,
  );
  const inline = reading.emails.filter((e) => e.source.endsWith("include: email")).length;
  if (inline)
    report.changes.push(
      `moves ${inline} email(s) from the policy's inline rules into the list "zt-gitops users 1" (the list is created full, before the policy points at it)`,
    );
  const oses = [...new Set(adoptedUsers.flatMap((u) => u.devices.map((x) => x.os ?? "any")))];
  if (reading.serialRules.length)
    report.changes.push(
      `moves ${serialCount} serial(s) from ${reading.serialRules.map((r) => `"${r.name}"`).join(", ")} into one SERIAL list and posture rule per OS (${oses.join(", ")}), grouped in "zt-gitops registered devices"; the policy switches to them in one update, then the old rule and list are deleted`,
    );
  report.changes.push(
    `renames the policy "${policy.name}" to "zt-gitops allow registered users on registered devices" and sets its session to ${formatDuration(appMinutes)}`,
    `tunnel route and DNS record get a "managed by zt-gitops" comment; split tunnel entries get the product's descriptions`,
  );
  report.managed.push(
    `kept as they are (not reset): the default profile's own settings (${
      ["tunnel_protocol", "auto_connect", "captive_portal"]
        .filter((k) => d.defaultProfile[k] !== undefined)
        .map((k) => `${k} ${JSON.stringify(d.defaultProfile[k])}`)
        .join(", ") || "none set"
    }), device settings (${Object.keys(carriedSettings).length} carried) and organization settings (${Object.keys(carriedOrg).join(", ") || "none"})`,
  );
  return {
    kind: "adopted",
    adoption: {
      users: adoptedUsers,
      sessions: {
        app: formatDuration(appMinutes),
        warp: formatDuration(warpMinutes),
        appSource: app.sessionDuration
          ? `session duration of "${app.name}"`
          : `"${app.name}" sets no session duration: Cloudflare's default, 24h`,
        warpSource: org.warp_auth_session_duration
          ? "WARP session of the Zero Trust organization"
          : "the organization sets no WARP session: Cloudflare's default, 24h",
      },
      config,
      record,
      report,
    },
  };
}
