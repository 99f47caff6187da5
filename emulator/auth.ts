// Credential checks, modelled on what Cloudflare answers:
//  - no credential at all           -> 401, code 10000 "Authentication error"
//  - a malformed bearer token       -> 401, code 6003 with error_chain 6111
//  - a well-formed but unknown one  -> 403, code 9109 (only with an allow-list)
//  - X-Auth-Key without X-Auth-Email (or malformed) -> 401, codes 9106/9107/9103
// The provider refuses tokens outside ^[0-9A-Za-z_-]{40,80}$ before sending,
// so the same rule here keeps the emulator from accepting what production won't.
import type { IncomingHttpHeaders } from "node:http";
import { ApiError } from "./http";

export const TOKEN_PATTERN = /^[0-9A-Za-z_-]{40,80}$/;
// Cloudflare's Global API Key: 37 lowercase hex characters.
const GLOBAL_KEY_PATTERN = /^[0-9a-f]{37}$/;

export type AuthResult = { kind: "token"; token: string } | { kind: "key"; email: string };

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

export function authenticate(headers: IncomingHttpHeaders, allow?: ReadonlySet<string>): AuthResult {
  const authz = header(headers, "authorization");
  const key = header(headers, "x-auth-key");
  const email = header(headers, "x-auth-email");

  if (authz !== undefined) {
    const m = /^Bearer (.*)$/.exec(authz.trim());
    const token = m?.[1]?.trim();
    if (!token || !TOKEN_PATTERN.test(token))
      throw new ApiError(401, [
        {
          code: 6003,
          message: "Invalid request headers",
          error_chain: [{ code: 6111, message: "Invalid format for Authorization header" }],
        },
      ]);
    if (allow && !allow.has(token))
      throw new ApiError(403, [{ code: 9109, message: "Invalid access token" }]);
    return { kind: "token", token };
  }

  if (key !== undefined || email !== undefined) {
    if (!email) throw new ApiError(401, [{ code: 9106, message: "Missing X-Auth-Email header" }]);
    if (!key) throw new ApiError(401, [{ code: 9107, message: "Missing X-Auth-Key header" }]);
    if (!/^[^\s@]+@[^\s@]+$/.test(email))
      throw new ApiError(401, [{ code: 9103, message: "Unknown X-Auth-Key or X-Auth-Email" }]);
    if (!GLOBAL_KEY_PATTERN.test(key))
      throw new ApiError(401, [{ code: 9103, message: "Unknown X-Auth-Key or X-Auth-Email" }]);
    if (allow && !allow.has(key))
      throw new ApiError(403, [{ code: 9103, message: "Unknown X-Auth-Key or X-Auth-Email" }]);
    return { kind: "key", email };
  }

  throw new ApiError(401, [{ code: 10000, message: "Authentication error" }]);
}
