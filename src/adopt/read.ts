import type Cloudflare from "cloudflare";
import { readListItems } from "../cloudflare/list-items";
import type { ApiTarget } from "../cloudflare/client";
import type { Discovery, FoundPolicy, Rule } from "./discovery";

// The account as `npm run adopt` sees it: list and get calls only (nothing here writes). Each read is
// mapped to the plain shapes of ./discovery.ts; the decisions are made in ./map.ts, without the SDK.

type O = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const arr = (v: unknown): O[] => (Array.isArray(v) ? (v as O[]) : []);

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of pages) out.push(item);
  return out;
}

function policyOf(p: O): FoundPolicy {
  return {
    id: String(p.id),
    name: String(p.name ?? ""),
    decision: String(p.decision ?? ""),
    include: arr(p.include) as Rule[],
    require: arr(p.require) as Rule[],
    exclude: arr(p.exclude) as Rule[],
    sessionDuration: str(p.session_duration),
  };
}

export async function readDiscovery(
  target: ApiTarget,
  zoneId: string,
  client: Cloudflare,
): Promise<Discovery> {
  const account_id = target.accountId;
  const unreadable: string[] = [];
  const optional = async <T>(what: string, read: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await read();
    } catch (e) {
      unreadable.push(`${what}: ${(e as Error).message.split("\n")[0]}`);
      return fallback;
    }
  };
  const z = client.zeroTrust;
  const [apps, policies, groups, lists, posture, tunnels, routes] = await Promise.all([
    all(z.access.applications.list({ account_id })) as Promise<unknown[]> as Promise<O[]>,
    all(z.access.policies.list({ account_id })) as Promise<unknown[]> as Promise<O[]>,
    all(z.access.groups.list({ account_id })) as Promise<unknown[]> as Promise<O[]>,
    all(z.gateway.lists.list({ account_id })) as Promise<unknown[]> as Promise<O[]>,
    all(z.devices.posture.list({ account_id })) as Promise<unknown[]> as Promise<O[]>,
    all(z.tunnels.cloudflared.list({ account_id, is_deleted: false })) as Promise<unknown[]> as Promise<O[]>,
    all(z.networks.routes.list({ account_id, is_deleted: false })) as Promise<unknown[]> as Promise<O[]>,
  ]);
  // Applications list their reusable policies by id; the policy objects hold the rules.
  const foundLists = await Promise.all(
    lists.map(async (l) => ({
      id: String(l.id),
      name: String(l.name ?? ""),
      type: String(l.type ?? ""),
      items: await readListItems(target, String(l.id)),
    })),
  );
  const foundTunnels = await Promise.all(
    tunnels.map(async (t) => {
      const cfg = (await optional(
        `tunnel ${String(t.name)} configuration`,
        () => z.tunnels.cloudflared.configurations.get(String(t.id), { account_id }),
        {},
      )) as O;
      const ingress = arr((cfg.config as O | undefined)?.ingress).map((r) => ({
        hostname: str(r.hostname),
        service: String(r.service ?? ""),
      }));
      return { id: String(t.id), name: String(t.name ?? ""), ingress };
    }),
  );
  const dns = (await optional(
    `DNS records of zone ${zoneId}`,
    () => all(client.dns.records.list({ zone_id: zoneId })),
    [],
  )) as unknown[] as O[];
  const fallback = (await optional(
    "Local Domain Fallback",
    () => all(z.devices.policies.default.fallbackDomains.get({ account_id })),
    [],
  )) as unknown[] as O[];
  const settings = (await optional("device settings", () => z.devices.settings.get({ account_id }), {})) as O;
  const profile = (await optional(
    "default device profile",
    () => z.devices.policies.default.get({ account_id }),
    {},
  )) as O;
  const organization = (await optional(
    "Zero Trust organization",
    () => z.organizations.list({ account_id }),
    undefined,
  )) as O | undefined;
  const jobs = (await optional(
    "Logpush jobs",
    () => all(client.logpush.jobs.list({ account_id })),
    [],
  )) as O[];
  const registrations = (await optional(
    "WARP registrations",
    () => all(z.devices.registrations.list({ account_id })),
    [],
  )) as unknown[] as O[];

  return {
    accountId: account_id,
    zoneId,
    apps: apps.map((a) => ({
      id: String(a.id),
      name: String(a.name ?? ""),
      type: String(a.type ?? ""),
      domain: String(a.domain ?? "").toLowerCase(),
      sessionDuration: str(a.session_duration),
      policies: arr(a.policies).map((p) => ({
        id: str(p.id),
        precedence: typeof p.precedence === "number" ? p.precedence : undefined,
        name: str(p.name),
        decision: str(p.decision),
      })),
    })),
    policies: policies.map(policyOf),
    groups: groups.map((g) => ({ id: String(g.id), name: String(g.name ?? "") })),
    lists: foundLists,
    posture: posture.map((p) => ({
      id: String(p.id),
      name: String(p.name ?? ""),
      type: String(p.type ?? ""),
      inputId: str((p.input as O | undefined)?.id),
      platforms: arr(p.match).flatMap((m) => (typeof m.platform === "string" ? [m.platform] : [])),
    })),
    tunnels: foundTunnels,
    routes: routes.map((r) => ({
      id: String(r.id),
      network: String(r.network ?? ""),
      tunnelId: String(r.tunnel_id ?? ""),
      comment: str(r.comment),
    })),
    dns: dns.map((d) => ({
      id: String(d.id),
      name: String(d.name ?? "").toLowerCase(),
      type: String(d.type ?? ""),
      content: String(d.content ?? ""),
    })),
    fallback: fallback.map((f) => ({
      suffix: String(f.suffix ?? ""),
      description: str(f.description) || undefined,
      dnsServers: Array.isArray(f.dns_server) ? (f.dns_server as string[]) : [],
    })),
    deviceSettings: settings ?? {},
    defaultProfile: profile ?? {},
    organization: organization && Object.keys(organization).length ? organization : undefined,
    logpushJobs: jobs
      .filter((j) => j && j.id !== undefined)
      .map((j) => ({ id: String(j.id), name: str(j.name), dataset: str(j.dataset) })),
    registrations: registrations.flatMap((r) => {
      const device = (r.device ?? {}) as O;
      const user = (r.user ?? {}) as O;
      const serial = str(device.serial_number);
      const email = str(user.email);
      if (!serial || !email || r.revoked_at || r.deleted_at) return [];
      return [{ serial, email: email.toLowerCase(), deviceType: str(device.device_type) }];
    }),
    unreadable,
  };
}
