import type CloudflareSdk from "cloudflare";
import { basename } from "node:path";
import { createClient } from "../cloudflare/client";
import type { Api } from "./types";

// The error classes of the same module instance the client factory loads (it `require`s the SDK; an
// ESM `import` may load a second copy whose classes `instanceof` would not recognise).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Cloudflare: typeof CloudflareSdk = require("cloudflare").default;

// The one place SDK errors become sentences. Every message is one line, says what was wrong in the
// admin's terms (token, account id, network, rate limit) and what to do; none carries the token.

function codes(error: InstanceType<typeof Cloudflare.APIError>): string {
  const list = (error.errors ?? []).filter((e) => e && (e.code !== undefined || e.message));
  if (list.length === 0) return `${error.status ?? "no status"}`;
  return `${error.status}, ${list.map((e) => `code ${e.code}: ${e.message}`).join("; ")}`;
}

function endpoint(api: Api): string {
  return `${api.target.baseUrl ?? "https://api.cloudflare.com/client/v4"} (${api.stack.baseUrlSource})`;
}

/** ECONNREFUSED, ENOTFOUND, ... from the fetch error chain. */
function networkReason(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      const known: Record<string, string> = {
        ECONNREFUSED: "connection refused",
        ENOTFOUND: "host name not found",
        EAI_AGAIN: "DNS lookup failed",
        ECONNRESET: "connection reset",
        EHOSTUNREACH: "host unreachable",
        ENETUNREACH: "network unreachable",
        CERT_HAS_EXPIRED: "TLS certificate expired",
      };
      return known[code] ? `${known[code]} (${code})` : code;
    }
  }
  return (error as Error)?.message ?? "unknown network error";
}

/** Does a call succeed? Used only to tell a bad token from a wrong account; never retried. */
async function succeeds(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch {
    return false;
  }
}

/** A one-line explanation, or undefined when the error is not from the Cloudflare SDK. */
export async function explainApiError(error: unknown, api: Api): Promise<string | undefined> {
  const stackFile = basename(api.stack.file);
  if (error instanceof Cloudflare.APIConnectionTimeoutError) {
    return `the Cloudflare API at ${endpoint(api)} did not answer in time, even after retries: check the network and the address, then try again`;
  }
  if (error instanceof Cloudflare.APIConnectionError) {
    return `cannot reach the Cloudflare API at ${endpoint(api)}: ${networkReason(error)}; check the address (CLOUDFLARE_BASE_URL or cloudflare:baseUrl) and that the service is up`;
  }
  if (error instanceof Cloudflare.AuthenticationError) {
    return `Cloudflare rejected the API token in ${api.tokenEnv} (${codes(error)}): it is malformed, expired or revoked; create an API token (dashboard: My Profile > API Tokens) and export it as ${api.tokenEnv}`;
  }
  if (error instanceof Cloudflare.RateLimitError) {
    const after = error.headers?.get("retry-after");
    return `Cloudflare is rate limiting this token (${codes(error)}) and still was after retrying with backoff${after ? ` (it asks to wait ${after} s)` : ""}: wait a few minutes, then run the command again`;
  }
  if (error instanceof Cloudflare.PermissionDeniedError || error instanceof Cloudflare.NotFoundError) {
    // 403 9109 means "bad token" and "not your account" alike: ask Cloudflare which one it is.
    const probe = createClient(api.target, { maxRetries: 0, timeoutMs: 10_000 });
    const accountOk = await succeeds(() => probe.accounts.tokens.verify({ account_id: api.accountId }));
    const userOk = accountOk || (await succeeds(() => probe.user.tokens.verify()));
    if (!accountOk && !userOk) {
      return `Cloudflare refused the API token in ${api.tokenEnv} (${codes(error)}): it is not a valid token, or it belongs to an account other than ${api.accountId}; check the token and zt:accountId in ${stackFile}`;
    }
    if (!accountOk && !(await succeeds(() => probe.accounts.get({ account_id: api.accountId })))) {
      return `the API token is valid but cannot use account ${api.accountId} (${codes(error)}): check zt:accountId in ${stackFile} (the 32-character id in the dashboard URL) or grant the token that account`;
    }
    if (error instanceof Cloudflare.PermissionDeniedError) {
      return `the API token may not do this in account ${api.accountId} (${codes(error)}): give it Zero Trust Read, Access: Apps and Policies Read, Cloudflare Tunnel Read (and Access: Organizations, Identity Providers, and Groups Revoke for revoke)`;
    }
    return `Cloudflare has no such resource in account ${api.accountId} (${codes(error)})`;
  }
  if (error instanceof Cloudflare.InternalServerError) {
    return `the Cloudflare API failed (${codes(error)}) even after retries: try again later (status: https://www.cloudflarestatus.com)`;
  }
  if (error instanceof Cloudflare.APIError) {
    return `Cloudflare refused the request (${codes(error)})`;
  }
  return undefined;
}
