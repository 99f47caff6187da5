import { DEFAULT_FALLBACK_SUFFIXES } from "../config/defaults";
import { containsIp, parseCidr, parseIpv4 } from "../config/network";
import type { Os } from "../users/schema";
import type {
  Discovery,
  FoundApp,
  FoundFallback,
  FoundPolicy,
  FoundPostureRule,
  FoundTunnel,
} from "./discovery";
import type { AdoptOptions, AdoptResult, StackValues } from "./map";
import type { AdoptionRecord } from "./record";

// The pieces of the account adopt reads, one function each (pure): which application, what its Allow
// policy says, which serials its posture rules check and on which OS, which tunnel serves it, and its
// private network. Each problem found is pushed to `problems`, so the refusal names every one.
export const PLATFORM_OS: Record<string, Os> = { mac: "macos", windows: "windows", linux: "linux" };

/** "12h", "12h0m0s", "90m", "1h30m" -> minutes; undefined when unreadable. */
export function cloudflareMinutes(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === "") return undefined;
  const minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) + Math.ceil(Number(m[3] ?? 0) / 60);
  return minutes > 0 ? minutes : undefined;
}

export const selector = (r: Record<string, unknown>) =>
  Object.keys(r).find((k) => r[k] !== null && r[k] !== undefined) ?? "(empty rule)";
export const field = (r: Record<string, unknown>, sel: string, key: string) =>
  String(((r[sel] ?? {}) as Record<string, unknown>)[key] ?? "");

export function pickApp(d: Discovery, opts: AdoptOptions): AdoptResult | FoundApp {
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

export interface PolicyReading {
  emails: { email: string; source: string }[];
  serialRules: FoundPostureRule[];
  retire: AdoptionRecord["retire"];
}

/** The Allow policy's rules: inline emails and email lists in include, serial posture rules in require. */
export function readPolicy(d: Discovery, policy: FoundPolicy, problems: string[]): PolicyReading {
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
export function readDevices(
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

export function pickTunnel(
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

export function readNetwork(
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
