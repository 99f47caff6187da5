import { DEFAULT_FALLBACK_SUFFIXES } from "../config/defaults";
import { containsIp, parseCidr, parseIpv4 } from "../config/network";
import { formatDuration } from "../model/sessions";
import type { Os } from "../users/schema";
import type {
  Discovery,
  FoundApp,
  FoundFallback,
  FoundPolicy,
  FoundPostureRule,
  FoundTunnel,
} from "./discovery";
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

const PLATFORM_OS: Record<string, Os> = { mac: "macos", windows: "windows", linux: "linux" };

/** "12h", "12h0m0s", "90m", "1h30m" -> minutes; undefined when unreadable. */
export function cloudflareMinutes(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === "") return undefined;
  const minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) + Math.ceil(Number(m[3] ?? 0) / 60);
  return minutes > 0 ? minutes : undefined;
}

const selector = (r: Record<string, unknown>) =>
  Object.keys(r).find((k) => r[k] !== null && r[k] !== undefined) ?? "(empty rule)";
const field = (r: Record<string, unknown>, sel: string, key: string) =>
  String(((r[sel] ?? {}) as Record<string, unknown>)[key] ?? "");

function pickApp(d: Discovery, opts: AdoptOptions): AdoptResult | FoundApp {
  const candidates = d.apps.filter((a) => a.type === "self_hosted" && a.policies.length > 0);
  if (opts.app) {
    const host = opts.app.toLowerCase().replace(/^https?:\/\//, "");
    const hit = d.apps.find((a) => a.domain.split("/")[0] === host);
    if (hit) return hit;
    return {
      kind: "ambiguous",
      lines: [
        `No Access application protects ${host}.`,
        ...(candidates.length
          ? [`Applications found: ${candidates.map((a) => `${a.domain} ("${a.name}")`).join(", ")}.`]
          : []),
      ],
    };
  }
  if (candidates.length === 0)
    return {
      kind: "nothing",
      lines: [
        `Nothing to adopt: the account has no self-hosted Access application with a policy` +
          `${d.apps.length ? ` (it has ${d.apps.length} application(s) of other kinds or without policies)` : ""}.`,
        `Nothing was written. Start from the example users.yaml and run \`npm run up -- --stack ${opts.stack}\` instead.`,
      ],
    };
  if (candidates.length > 1)
    return {
      kind: "ambiguous",
      lines: [
        `The account has ${candidates.length} Access applications that could be the one to adopt; say which with --app:`,
        ...candidates.map(
          (a) => `  npm run adopt -- --stack ${opts.stack} --app ${a.domain.split("/")[0]}   # "${a.name}"`,
        ),
        `Nothing was written.`,
      ],
    };
  return candidates[0];
}

interface PolicyReading {
  emails: { email: string; source: string }[];
  serialRules: FoundPostureRule[];
  retire: AdoptionRecord["retire"];
}

/** The Allow policy's rules: inline emails and email lists in include, serial posture rules in require. */
function readPolicy(d: Discovery, policy: FoundPolicy, problems: string[]): PolicyReading {
  const out: PolicyReading = { emails: [], serialRules: [], retire: [] };
  const where = `Allow policy "${policy.name}"`;
  for (const rule of policy.include) {
    const sel = selector(rule);
    if (sel === "email") {
      out.emails.push({ email: field(rule, sel, "email").toLowerCase(), source: `${where}, include: email` });
    } else if (sel === "email_list") {
      const id = field(rule, sel, "id");
      const list = d.lists.find((l) => l.id === id);
      if (!list) problems.push(`${where} includes email list ${id}, which the account does not hold`);
      else {
        for (const e of list.items)
          out.emails.push({ email: e.toLowerCase(), source: `${where}, include: email list "${list.name}"` });
        out.retire.push({ kind: "list", id, name: list.name, what: `email list "${list.name}"` });
      }
    } else if (sel === "email_domain") {
      problems.push(
        `${where} includes everyone at ${field(rule, sel, "domain")} (email domain): users.yaml lists people one by one; list them, or keep that policy by hand`,
      );
    } else if (sel === "group") {
      const g = d.groups.find((x) => x.id === field(rule, sel, "id"));
      problems.push(
        `${where} includes Access group "${g?.name ?? field(rule, sel, "id")}": adopt does not map groups; list their members in the policy or adopt by hand`,
      );
    } else problems.push(`${where} includes a "${sel}" rule, which users.yaml cannot express`);
  }
  for (const rule of policy.require) {
    const sel = selector(rule);
    if (sel !== "device_posture") {
      problems.push(`${where} requires a "${sel}" rule, which users.yaml cannot express`);
      continue;
    }
    const uid = field(rule, sel, "integration_uid");
    const posture = d.posture.find((p) => p.id === uid);
    if (!posture)
      problems.push(`${where} requires device posture rule ${uid}, which the account does not hold`);
    else if (posture.type !== "serial_number")
      problems.push(
        `${where} requires device posture rule "${posture.name}" of type ${posture.type}: only serial-number rules map to users.yaml devices`,
      );
    else out.serialRules.push(posture);
  }
  for (const rule of policy.exclude)
    problems.push(`${where} excludes a "${selector(rule)}" rule, which users.yaml cannot express`);
  return out;
}

/** Serials of the posture rules, each with its OS: the rule's platform, else the device's WARP enrolment. */
function readDevices(
  d: Discovery,
  rules: FoundPostureRule[],
  problems: string[],
  retire: AdoptionRecord["retire"],
): Map<string, { os?: Os; source: string }> {
  const serials = new Map<string, { os?: Os; source: string }>();
  for (const rule of rules) {
    const list = d.lists.find((l) => l.id === rule.inputId);
    if (!list || list.type !== "SERIAL") {
      problems.push(`device posture rule "${rule.name}" checks no SERIAL list the account holds`);
      continue;
    }
    const oses = rule.platforms.map((p) => PLATFORM_OS[p]);
    if (oses.some((o) => o === undefined))
      problems.push(
        `device posture rule "${rule.name}" covers ${rule.platforms.filter((p) => !PLATFORM_OS[p]).join(", ")}: users.yaml devices are macos, windows or linux`,
      );
    for (const serial of list.items) {
      const enrolled = d.registrations.find((r) => r.serial.toLowerCase() === serial.toLowerCase());
      const seen = enrolled?.deviceType ? PLATFORM_OS[enrolled.deviceType] : undefined;
      const os =
        oses.length === 1
          ? oses[0]
          : seen && oses.includes(seen)
            ? seen
            : oses.length === 0
              ? seen
              : undefined;
      const how =
        oses.length === 1
          ? `OS from the rule's platform`
          : os
            ? `OS ${os} from its WARP enrolment`
            : `any OS: the rule covers ${rule.platforms.join(", ") || "every platform"} and WARP does not say which`;
      serials.set(serial, {
        os,
        source: `serial in list "${list.name}" of posture rule "${rule.name}" (${how})`,
      });
    }
    retire.push({
      kind: "postureRule",
      id: rule.id,
      name: rule.name,
      what: `device posture rule "${rule.name}"`,
    });
    retire.push({ kind: "list", id: list.id, name: list.name, what: `serial list "${list.name}"` });
  }
  return serials;
}

function pickTunnel(
  d: Discovery,
  app: FoundApp,
  opts: AdoptOptions,
  problems: string[],
): FoundTunnel | undefined {
  const host = app.domain.split("/")[0];
  const serving = d.tunnels.filter((t) => t.ingress.some((r) => r.hostname === host));
  if (opts.tunnel) {
    const t = d.tunnels.find((x) => x.name === opts.tunnel);
    if (!t)
      problems.push(
        `no tunnel is named "${opts.tunnel}" (tunnels: ${d.tunnels.map((x) => x.name).join(", ") || "none"})`,
      );
    return t;
  }
  if (serving.length === 1) return serving[0];
  problems.push(
    serving.length === 0
      ? `no tunnel's public hostnames include ${host}; name the tunnel with --tunnel`
      : `${serving.length} tunnels serve ${host} (${serving.map((t) => t.name).join(", ")}); name one with --tunnel`,
  );
  return undefined;
}

function readNetwork(
  d: Discovery,
  tunnel: FoundTunnel,
  problems: string[],
  hosts: Record<string, string>,
): { values?: StackValues["privateNetwork"]; routeId?: string; kept: FoundFallback[] } {
  const routes = d.routes.filter((r) => r.tunnelId === tunnel.id);
  if (routes.length !== 1) {
    problems.push(
      `tunnel "${tunnel.name}" has ${routes.length} private network routes (${routes.map((r) => r.network).join(", ") || "none"}): the stack manages exactly one (zt:privateNetwork.cidr)`,
    );
    return { kept: [] };
  }
  const cidr = parseCidr(routes[0].network);
  const inside = (ip: string) => {
    const n = parseIpv4(ip);
    return !("error" in cidr) && n !== undefined && containsIp(cidr, n);
  };
  const internal = d.fallback.filter((f) => f.dnsServers.some(inside));
  if (internal.length !== 1) {
    problems.push(
      `${internal.length} Local Domain Fallback entries send names to a DNS server inside ${routes[0].network} (${internal.map((f) => f.suffix).join(", ") || "none"}): the stack expects exactly one, the internal domain answered by dnsmasq`,
    );
    return { routeId: routes[0].id, kept: [] };
  }
  const kept = d.fallback.filter(
    (f) => f !== internal[0] && !(DEFAULT_FALLBACK_SUFFIXES.includes(f.suffix) && f.dnsServers.length === 0),
  );
  return {
    routeId: routes[0].id,
    kept,
    values: {
      cidr: routes[0].network,
      internalDomain: internal[0].suffix,
      dnsmasqAddress: internal[0].dnsServers.find(inside)!,
      hosts,
      extraFallback: kept.map((f) => ({
        suffix: f.suffix,
        ...(f.description ? { description: f.description } : {}),
        ...(f.dnsServers.length ? { dnsServers: f.dnsServers } : {}),
      })),
    },
  };
}

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

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

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
  const carriedSettings = Object.fromEntries(
    CARRIED_DEVICE_SETTINGS.filter(
      (k) => d.deviceSettings[k] !== undefined && d.deviceSettings[k] !== null,
    ).map((k) => [camel(k), d.deviceSettings[k]]),
  );
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
    ],
    retire: reading.retire,
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
    }) and device settings (${Object.keys(carriedSettings).length} carried)`,
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
