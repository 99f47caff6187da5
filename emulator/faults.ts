// Fault injection: make chosen requests slow or fail, a set number of times,
// to prove that callers retry, back off and report errors the way they should.
import type { Realism } from "./realism";

export interface FaultRule {
  /** HTTP method to match, or "*" (default). */
  method?: string;
  /**
   * Path below /client/v4 to match. Glob: `*` = one segment, `**` = any rest.
   * A string wrapped in slashes ("/cfd_tunnel$/") is a regular expression.
   */
  path: string;
  /** How many matching requests this rule affects (default 1; Infinity = always). */
  count?: number;
  /** Let this many matching requests through untouched first (default 0). */
  skip?: number;
  /** Respond with this status instead of handling the request (429, 500, 502, 503, ...). */
  status?: number;
  /** Seconds for the Retry-After header (defaults to 1 on a 429). */
  retryAfter?: number;
  /** Sets `x-should-retry`. Defaults: 429 -> none (SDKs retry 429 anyway); 5xx -> "true". */
  shouldRetry?: boolean;
  /** Delay before responding (or before handling normally when no status is set). */
  delayMs?: number;
  /** Error message in the envelope. */
  message?: string;
  /** "Lost response": carry the request out (state changes and is saved), then answer
   * `status` (default 502) as if the answer was lost on the way back. */
  lostResponse?: boolean;
}

export interface FaultHit {
  rule: FaultRule;
  index: number;
}

interface LiveRule {
  rule: FaultRule;
  remaining: number;
  skip: number;
  re: RegExp;
}

function compile(path: string): RegExp {
  if (path.length > 2 && path.startsWith("/") && path.endsWith("/") && !path.startsWith("//")) {
    return new RegExp(path.slice(1, -1));
  }
  const esc = path
    .split("/")
    .map((seg) =>
      seg === "**" ? "\u0001" : seg.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"),
    )
    .join("/")
    .replace(/\/?\u0001/g, "(?:/.*)?");
  return new RegExp(`^${esc}/?$`);
}

export function validateFault(r: unknown): FaultRule {
  const f = r as FaultRule;
  if (!f || typeof f !== "object" || typeof f.path !== "string" || !f.path)
    throw new Error("fault rule needs a path");
  if (f.status !== undefined && (!Number.isInteger(f.status) || f.status < 400 || f.status > 599))
    throw new Error("fault status must be an HTTP error status (400-599)");
  if (f.status === undefined && f.delayMs === undefined && !f.lostResponse)
    throw new Error("fault rule needs a status, a delayMs or lostResponse");
  if (f.lostResponse !== undefined && typeof f.lostResponse !== "boolean")
    throw new Error("lostResponse must be true or false");
  if (f.lostResponse && f.status !== undefined && f.status < 500)
    throw new Error("a lost response answers a 5xx status (default 502)");
  if (f.delayMs !== undefined && (typeof f.delayMs !== "number" || f.delayMs < 0))
    throw new Error("delayMs must be >= 0");
  if (f.count !== undefined && f.count !== null && (typeof f.count !== "number" || f.count < 1))
    throw new Error("count must be >= 1");
  compile(f.path);
  return f;
}

export class Faults {
  private rules: LiveRule[] = [];

  constructor(initial: FaultRule[] = []) {
    for (const r of initial) this.add(r);
  }

  add(rule: FaultRule): void {
    const r = validateFault(rule);
    // JSON cannot carry Infinity; a null count (from the admin API) means "always".
    const count = r.count === undefined ? 1 : r.count === null ? Infinity : r.count;
    this.rules.push({ rule: r, remaining: count, skip: r.skip ?? 0, re: compile(r.path) });
  }

  clear(): void {
    this.rules = [];
  }

  /** Rules that still have uses left (exhausted ones are dropped). */
  list(): Array<FaultRule & { remaining: number | null }> {
    this.rules = this.rules.filter((l) => l.remaining > 0);
    return this.rules.map((l) => ({
      ...l.rule,
      remaining: Number.isFinite(l.remaining) ? l.remaining : null,
    }));
  }

  /** The first live rule matching this request, consuming one use of it. */
  take(method: string, path: string): FaultRule | undefined {
    for (const l of this.rules) {
      if (l.remaining <= 0) continue;
      const m = (l.rule.method ?? "*").toUpperCase();
      if (m !== "*" && m !== method) continue;
      if (!l.re.test(path)) continue;
      if (l.skip > 0) {
        l.skip--;
        continue;
      }
      l.remaining--;
      return l.rule;
    }
    return undefined;
  }
}

/** Headers and body for a rule that answers with an error. With realism, no
 * `x-should-retry` unless the rule sets `shouldRetry` (no evidence Cloudflare sends it). */
export function faultResponse(
  rule: FaultRule,
  realism: Pick<Realism, "noRetryHeader"> = { noRetryHeader: false },
): {
  status: number;
  headers: Record<string, string>;
  code: number;
  message: string;
} {
  const status = rule.status ?? 500;
  const headers: Record<string, string> = {};
  if (status === 429) headers["Retry-After"] = String(rule.retryAfter ?? 1);
  else if (rule.retryAfter !== undefined) headers["Retry-After"] = String(rule.retryAfter);
  if (rule.shouldRetry !== undefined) headers["x-should-retry"] = String(rule.shouldRetry);
  else if (status >= 500 && !realism.noRetryHeader) headers["x-should-retry"] = "true";
  // 971 is Cloudflare's rate-limit code; 10000-range for internal errors.
  const code = status === 429 ? 971 : status >= 500 ? 10001 : 10000;
  const message =
    rule.message ??
    (status === 429
      ? "Please wait and consider throttling your request speed"
      : status >= 500
        ? "Internal server error"
        : "Injected fault");
  return { status, headers, code, message };
}
