import type Cloudflare from "cloudflare";

// The one way this project talks to Cloudflare outside Pulumi (zt commands, revocation on removal).

export interface ApiTarget {
  apiToken: string;
  /** e.g. http://127.0.0.1:8788/client/v4 for the local emulator; Cloudflare's API when undefined. */
  baseUrl?: string;
  accountId: string;
}

export function createClient(
  target: Pick<ApiTarget, "apiToken" | "baseUrl">,
  options: { maxRetries?: number; timeoutMs?: number } = {},
): Cloudflare {
  // Required here rather than imported at the top: revocation runs inside Pulumi's dynamic provider,
  // which serializes this function, and a require in the body travels with it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Sdk: typeof Cloudflare = require("cloudflare").default;
  // The TS SDK sleeps for whatever Retry-After says (a 429 may say minutes, on every retry); the Go
  // SDK ignores values of 60 s or more and backs off normally. Do the same: drop such a header so the
  // retries stay short and the caller gets the 429 (RateLimitError) instead of hanging.
  const cappedFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (res.status !== 429) return res;
    const after = res.headers.get("retry-after") ?? "";
    const seconds = /^\s*[\d.]+\s*$/.test(after) ? Number(after) : (Date.parse(after) - Date.now()) / 1000;
    if (!(seconds >= 60)) return res;
    const headers = new Headers(res.headers);
    headers.delete("retry-after");
    headers.delete("retry-after-ms");
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
  return new Sdk({
    apiToken: target.apiToken,
    baseURL: target.baseUrl || undefined,
    // The SDK retries 408/409/429/5xx with backoff and honours Retry-After (below 60 s, see above).
    maxRetries: options.maxRetries ?? 4,
    timeout: options.timeoutMs ?? 30_000,
    fetch: cappedFetch,
  });
}
