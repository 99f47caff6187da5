// The request log. Every API request is recorded with method, path, query
// (secret-looking parameters masked), status and duration. Headers and bodies
// are never recorded: they carry tokens, keys, tunnel secrets and challenges.

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  /** Query string with secret-looking values replaced by "REDACTED" ("" when none). */
  query: string;
  status: number;
  ms: number;
  /** Set when a fault rule answered or delayed this request. */
  fault?: string;
  /** true for /__admin/ calls. */
  admin?: boolean;
}

const SECRET_PARAM = /token|secret|key|password|passwd|signature|challenge|auth|credential/i;

export function redactQuery(q: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const [k, v] of q) out.append(k, SECRET_PARAM.test(k) ? "REDACTED" : v);
  const s = out.toString();
  return s ? `?${s}` : "";
}

export function formatEntry(e: RequestLogEntry): string {
  return `${e.at} ${e.method} ${e.path}${e.query} -> ${e.status} ${e.ms}ms${e.fault ? ` [fault: ${e.fault}]` : ""}`;
}

/** Entries kept by default: far more than any test or `pulumi up` makes, small enough for a long `npm start`. */
export const DEFAULT_REQUEST_LOG_LIMIT = 100_000;

/** Every request, in arrival order, never merged or deduplicated. Past `limit` the oldest
 * entries go, and `dropped` counts them, so a short log is never mistaken for a complete one. */
export class RequestLog {
  private items: RequestLogEntry[] = [];
  private droppedCount = 0;
  constructor(
    private readonly sink?: (line: string) => void,
    private readonly limit = DEFAULT_REQUEST_LOG_LIMIT,
  ) {}

  add(e: RequestLogEntry): void {
    this.items.push(e);
    if (this.limit > 0 && this.items.length > this.limit)
      this.droppedCount += this.items.splice(0, this.items.length - this.limit).length;
    this.sink?.(formatEntry(e));
  }

  entries(): RequestLogEntry[] {
    return this.items.map((e) => ({ ...e }));
  }

  /** Entries removed to stay under the limit since the last clear(). */
  dropped(): number {
    return this.droppedCount;
  }

  clear(): void {
    this.items = [];
    this.droppedCount = 0;
  }
}
