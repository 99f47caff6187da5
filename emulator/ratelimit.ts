// Cloudflare's account-wide API rate limit: 1,200 requests per five minutes per
// user or token; past it every call answers 429, error code 971, with
// Retry-After, until the window ends (FIDELITY.md "rate limit"). A fixed window
// that starts with a credential's first request is a guess: Cloudflare does not
// document whether the window is fixed or sliding.
import { ApiError } from "./http";
import type { Realism } from "./realism";

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly realism: Realism,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Count one request of `who`; throws the 429 once the window's budget is spent. */
  check(who: string): void {
    if (!this.realism.rateLimit) return;
    const now = this.clock();
    let w = this.windows.get(who);
    if (!w || now - w.start >= this.realism.rateLimitWindowMs) {
      w = { start: now, count: 0 };
      this.windows.set(who, w);
    }
    if (w.count >= this.realism.rateLimitMax) {
      const wait = Math.max(1, Math.ceil((w.start + this.realism.rateLimitWindowMs - now) / 1000));
      throw new ApiError(
        429,
        [{ code: 971, message: "Please wait and consider throttling your request speed" }],
        { "Retry-After": String(wait) },
      );
    }
    w.count++;
  }

  /** Forget every window (admin `DELETE /__admin/ratelimit`). */
  reset(): void {
    this.windows.clear();
  }

  status(): Array<{ who: string; count: number; resetsInMs: number }> {
    const now = this.clock();
    return [...this.windows.entries()].map(([who, w]) => ({
      who,
      count: w.count,
      resetsInMs: Math.max(0, w.start + this.realism.rateLimitWindowMs - now),
    }));
  }
}
