// Shared types of the /__admin/ API (see admin.ts).
import type { Faults } from "./faults";
import type { RequestLog } from "./log";
import type { RateLimiter } from "./ratelimit";
import type { Store } from "./state";

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface AdminDeps {
  store: Store;
  faults: Faults;
  log: RequestLog;
  limiter: RateLimiter;
}

export interface AdminReply {
  status: number;
  body: unknown;
}

export function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new AdminError(404, `${what} not found`);
  return v;
}
