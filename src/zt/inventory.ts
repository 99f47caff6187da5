import { readListItems } from "../cloudflare/list-items";
import { Api } from "./context";
import { EMAIL_LIST_PREFIX, POSTURE_RULE_PATTERN } from "../model/names";
import { Os } from "../users/schema";

// Read-only views of what the account holds, shaped for the checks. API objects are read as loose
// records: several fields doctor needs (a list's items, a tunnel's connections) are not in the SDK's
// types, and a check must report a missing field, not crash on it.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = Record<string, any>;

export async function collect<T>(iterable: AsyncIterable<T>, max = 10_000): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) {
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}

/** 404 means "not there", which checks report; anything else is an API problem for withApi. */
export async function orMissing<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

export interface TunnelView {
  tunnel: Loose;
  /** Distinct cloudflared processes holding connections. */
  connectors: number;
  connections: number;
}

export async function findTunnel(api: Api, name: string): Promise<TunnelView | undefined> {
  const all = await collect(
    api.client.zeroTrust.tunnels.cloudflared.list({ account_id: api.accountId, name, is_deleted: false }),
  );
  const tunnel = (all as Loose[]).find((t) => t.name === name && !t.deleted_at);
  if (!tunnel) return undefined;
  const connections: Loose[] = Array.isArray(tunnel.connections) ? tunnel.connections : [];
  const connectors = new Set(connections.map((c) => c.client_id ?? c.id)).size;
  return { tunnel, connectors, connections: connections.length };
}

export interface NamedList {
  id: string;
  name: string;
  values: string[];
}

/** Lists of one type whose name starts with `prefix`, with their items. */
export async function listsOfType(
  api: Api,
  type: "EMAIL" | "SERIAL",
  match: (name: string) => boolean,
): Promise<NamedList[]> {
  const lists = (await collect(
    api.client.zeroTrust.gateway.lists.list({ account_id: api.accountId, type }),
  )) as Loose[];
  const wanted = lists.filter((l) => typeof l.name === "string" && match(l.name));
  return Promise.all(
    wanted.map(async (l) => {
      const full = (await api.client.zeroTrust.gateway.lists.get(l.id, {
        account_id: api.accountId,
      })) as Loose;
      // Cloudflare's GET of one list leaves items out (provider PR #7265); some answers carry them.
      const values = Array.isArray(full.items)
        ? (full.items as Loose[]).map((i) => String(i.value))
        : await readListItems(api.target, l.id);
      return { id: l.id, name: l.name, values };
    }),
  );
}

export const emailLists = (api: Api) => listsOfType(api, "EMAIL", (n) => n.startsWith(EMAIL_LIST_PREFIX));

export interface PostureView {
  rule: Loose;
  os: Os;
  /** The SERIAL list the rule reads, when it exists. */
  list?: NamedList;
}

/** zt-gitops serial_number posture rules with the SERIAL list each one reads. */
export async function postureRules(api: Api): Promise<PostureView[]> {
  const rules = (
    (await collect(api.client.zeroTrust.devices.posture.list({ account_id: api.accountId }))) as Loose[]
  ).filter((r) => POSTURE_RULE_PATTERN.test(String(r.name ?? "")));
  const serialLists = await listsOfType(api, "SERIAL", () => true);
  return rules.map((rule) => ({
    rule,
    os: POSTURE_RULE_PATTERN.exec(rule.name)![1] as Os,
    list: serialLists.find((l) => l.id === rule.input?.id),
  }));
}

/** Go duration ("8h", "480m", "8h0m0s", "1.5h") in minutes; undefined when unreadable. */
export function goDurationMinutes(text: unknown): number | undefined {
  if (typeof text !== "string" || !/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) return undefined;
  const unit: Record<string, number> = {
    h: 60,
    m: 1,
    s: 1 / 60,
    ms: 1 / 60_000,
    us: 1 / 60_000_000,
    µs: 1 / 60_000_000,
    ns: 1 / 60_000_000_000,
  };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(m[1]) * unit[m[2]];
  return Math.round(total * 1000) / 1000;
}
