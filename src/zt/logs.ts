import { Api } from "./context";
import { Loose } from "./inventory";
import { EXIT, CliError } from "../command";

// Access authentication events (GET .../access/logs/access_requests) and how far back Cloudflare keeps them.

export const PLANS = { free: 1, standard: 30, enterprise: 180 } as const; // retention in days
export type Plan = keyof typeof PLANS;
export const PLAN_NAMES: Record<Plan, string> = {
  free: "Free",
  standard: "Standard",
  enterprise: "Enterprise",
};

export function parsePlan(value: string | undefined, source: string): Plan | undefined {
  if (value === undefined) return undefined;
  const p = value.toLowerCase();
  if (p in PLANS) return p as Plan;
  // A flag is a bad command line; a value in the stack file is bad input.
  const code = source.startsWith("--") ? EXIT.usage : EXIT.failure;
  throw new CliError(`${source} must be free, standard or enterprise (got "${value}")`, code);
}

export function retentionText(plan: Plan): string {
  return PLANS[plan] === 1 ? "24h" : `${PLANS[plan]} days`;
}

/** "24h", "7d", "90m", "2w", or a date/time ("2026-11-01", "2026-11-01T08:00:00Z") -> the moment it means. */
export function parseSince(value: string, now: Date, flag = "--since"): Date {
  const rel = /^(\d+)\s*(m|h|d|w)$/.exec(value.trim());
  if (rel) {
    const minutes = Number(rel[1]) * { m: 1, h: 60, d: 1440, w: 10080 }[rel[2] as "m" | "h" | "d" | "w"];
    return new Date(now.getTime() - minutes * 60_000);
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const text = value.trim().replace(" ", "T");
    const d = new Date(
      text.length === 10 ? `${text}T00:00:00Z` : /Z|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`,
    );
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new CliError(
    `${flag} must be a duration such as 24h, 7d, 90m, 2w, or a date such as 2026-11-01 (got "${value}")`,
    EXIT.usage,
  );
}

export interface AccessEvent {
  time: string;
  email: string;
  app: string;
  appUid?: string;
  allowed: boolean;
  action?: string;
  ip?: string;
  country?: string;
  rayId?: string;
  connection?: string;
  /** Device fields, when the entry carries any. */
  deviceId?: string;
  deviceName?: string;
  serial?: string;
  /** An explicit reason, when the entry carries one. */
  reason?: string;
}

const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

function toEvent(e: Loose): AccessEvent {
  return {
    time: String(e.created_at ?? ""),
    email: String(e.user_email ?? ""),
    app: str(e.app_domain) ?? str(e.app_uid) ?? "-",
    appUid: str(e.app_uid),
    allowed: e.allowed === true,
    action: str(e.action),
    ip: str(e.ip_address),
    country: str(e.country),
    rayId: str(e.ray_id),
    connection: str(e.connection),
    deviceId: str(e.device_id) ?? str(e.device?.id),
    deviceName: str(e.device_name) ?? str(e.device?.name),
    serial: str(e.device_serial) ?? str(e.serial_number) ?? str(e.device?.serial_number),
    reason: str(e.reason) ?? str(e.deny_reason),
  };
}

const PER_PAGE = 1000;
const MAX_PAGES = 100;

/** Every event in [since, until], newest first; `truncated` when MAX_PAGES pages were not enough. */
export async function fetchAccessEvents(
  api: Api,
  q: { since: Date; until: Date; email?: string },
): Promise<{ events: AccessEvent[]; truncated: boolean }> {
  const events: AccessEvent[] = [];
  let previousFirst: string | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const batch = (await api.client.zeroTrust.access.logs.accessRequests.list({
      account_id: api.accountId,
      since: q.since.toISOString(),
      until: q.until.toISOString(),
      direction: "desc",
      page,
      per_page: PER_PAGE,
      // Substring match on the server (how the log wrote the address's case is not ours to know);
      // callers keep only exact, case-insensitive matches.
      ...(q.email ? { email: q.email } : {}),
    })) as Loose[];
    if (!Array.isArray(batch) || batch.length === 0) return { events, truncated: false };
    // An API that ignores `page` would hand back the same page forever.
    const first = JSON.stringify(batch[0]);
    if (first === previousFirst) return { events, truncated: false };
    previousFirst = first;
    events.push(...batch.map(toEvent));
    // Keep going until an empty page: the API may cap per_page below what was asked.
  }
  return { events, truncated: true };
}
