import type Cloudflare from "cloudflare";

// The one way this project talks to Cloudflare outside Pulumi (zt commands, revocation on removal).

export interface ApiTarget {
  apiToken: string;
  /** e.g. http://127.0.0.1:8788/client/v4 for the local emulator; Cloudflare's API when undefined. */
  baseUrl?: string;
  accountId: string;
}

export function createClient(target: Pick<ApiTarget, "apiToken" | "baseUrl">, options: { maxRetries?: number; timeoutMs?: number } = {}): Cloudflare {
  // Required here rather than imported at the top: revocation runs inside Pulumi's dynamic provider,
  // which serializes this function, and a require in the body travels with it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Sdk: typeof Cloudflare = require("cloudflare").default;
  return new Sdk({
    apiToken: target.apiToken,
    baseURL: target.baseUrl || undefined,
    // The SDK retries 408/409/429/5xx with backoff and honours Retry-After.
    maxRetries: options.maxRetries ?? 4,
    timeout: options.timeoutMs ?? 30_000,
  });
}
