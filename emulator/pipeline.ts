// Pieces of the request pipeline (server.ts): body reading, account scoping,
// rollback of a failed write, the rate limit's credential key.
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ApiError } from "./http";
import type { AccountStore, Store } from "./state";

const MAX_BODY = 16 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, [{ code: 10413, message: "Request body too large" }]));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function isLoopback(addr: string | undefined): boolean {
  return addr === "127.0.0.1" || addr === "::1" || addr === "::ffff:127.0.0.1";
}

/** Ids in paths: a known account or zone selects its state; a well-formed
 * foreign id gets Cloudflare's 403 9109, a malformed one "could not route". */
export function scopeStore(store: Store, params: Record<string, string>, path: string): AccountStore {
  let scoped: AccountStore = store;
  for (const param of ["account", "zone"] as const) {
    const v = params[param];
    if (v === undefined) continue;
    if (!/^[0-9a-f]{32}$/.test(v))
      throw new ApiError(404, [
        { code: 7003, message: `Could not route to ${path}, perhaps your object identifier is invalid?` },
        { code: 7000, message: "No route for that URI" },
      ]);
    const found = param === "account" ? store.account(v) : store.accountOfZone(v);
    if (!found)
      throw new ApiError(403, [{ code: 9109, message: "Unauthorized to access requested resource" }]);
    scoped = found;
  }
  return scoped;
}

/** Put a state back as it was before a failed write (same object, so references stay valid). */
export function restore(target: object, snapshot: string): void {
  const t = target as Record<string, unknown>;
  for (const k of Object.keys(t)) delete t[k];
  Object.assign(t, JSON.parse(snapshot));
}

/** The rate limit's key for a credential: a hash, so no secret is kept or shown. */
export function who(auth: { kind: "token"; token: string } | { kind: "key"; email: string }): string {
  const raw = auth.kind === "token" ? `t:${auth.token}` : `k:${auth.email}`;
  return createHash("sha256").update(raw).digest("hex").slice(0, 16);
}
