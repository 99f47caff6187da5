// A tiny method + path router. Patterns use `:name` for one path segment.
// `:account` and `:zone` are checked against the seeded identities before the
// handler runs, so no handler has to think about foreign ids.
import { type Obj, type Reply, fail } from "./http";
import type { AccountStore, Store } from "./state";
import type { Realism } from "./realism";

export interface Ctx {
  method: string;
  /** Path below /client/v4, e.g. /accounts/abc/cfd_tunnel */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (undefined when there was none). */
  body: unknown;
  /** The state of the account (or the zone's account) in the path; the seeded account otherwise. */
  store: AccountStore;
  /** Every account (for the endpoints that list accounts and zones). */
  root: Store;
  realism: Realism;
  headers: Record<string, string | string[] | undefined>;
  /** How the caller authenticated (bearer token or global key). */
  auth: { kind: "token" | "key"; token?: string };
}

export type Handler = (ctx: Ctx) => Reply;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split("/").filter(Boolean), handler });
    return this;
  }

  get(p: string, h: Handler): this {
    return this.on("GET", p, h);
  }
  post(p: string, h: Handler): this {
    return this.on("POST", p, h);
  }
  put(p: string, h: Handler): this {
    return this.on("PUT", p, h);
  }
  patch(p: string, h: Handler): this {
    return this.on("PATCH", p, h);
  }
  delete(p: string, h: Handler): this {
    return this.on("DELETE", p, h);
  }

  /** Find the handler; 404 for an unknown path, 405 for a known path with the wrong method. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } {
    const segs = path.split("/").filter(Boolean).map(decodeURIComponent);
    let pathKnown = false;
    for (const r of this.routes) {
      const params = matchParts(r.parts, segs);
      if (!params) continue;
      pathKnown = true;
      if (r.method === method) return { handler: r.handler, params };
    }
    if (pathKnown) fail(405, 10405, `Method ${method} not allowed for this route`);
    fail(404, 7003, `Could not route to ${path}, perhaps your object identifier is invalid?`);
  }
}

function matchParts(parts: string[], segs: string[]): Record<string, string> | null {
  if (parts.length !== segs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].startsWith(":")) params[parts[i].slice(1)] = segs[i];
    else if (parts[i] !== segs[i]) return null;
  }
  return params;
}

/** Resolve `:scope`/`:scopeId` routes (accounts|zones) used by APIs that live at both levels. */
export function scopeOf(ctx: Ctx): { kind: "accounts" | "zones"; id: string } {
  return ctx.params.zone
    ? { kind: "zones", id: ctx.params.zone }
    : { kind: "accounts", id: ctx.params.account };
}

export function bodyOf(ctx: Ctx): Obj {
  return (ctx.body ?? {}) as Obj;
}
