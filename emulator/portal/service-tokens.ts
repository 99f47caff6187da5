// {accounts|zones}/{id}/access/service_tokens (+ /refresh, /rotate on accounts) —
// cloudflare_zero_trust_access_service_token.
//
// Evidence (FIDELITY-portal.md, "Service tokens"): fields of cf-terraforming's recorded list
// (client_id "<32 hex>.access", created_at, duration "8760h", expires_at, id, name, updated_at)
// plus client_secret_version and enabled (Cloudflare's docs' create response, SDK types).
// client_secret is answered ONLY by create, by rotate, and by a PUT that raises
// client_secret_version (provider Update keeps state's secret when the answer has none);
// it is stored as a SHA-256 digest. After a rotation the previous secret stays valid until
// previous_client_secret_expires_at (default: now, i.e. revoked at once, per the SDK docs).
import { randomBytes } from "node:crypto";
import { type Obj, fail, hex, notFound, ok, stripNulls, uuid } from "../http";
import { paginate } from "../paging";
import { type Ctx, type Router, scopeOf } from "../router";
import { Checker, isDuration, objectBody } from "../validate";
import { digest, portal } from "./state";

const CODE = 12130;
export const DEFAULT_DURATION = "8760h";
/** Cloudflare One account limits: 50 service tokens. */
export const MAX_SERVICE_TOKENS = 50;
const HOUR = 3_600_000;
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `cfast_` + 40 alphanumerics + an 8-character checksum: the format Cloudflare documents for
 * secrets made since 2026-08-26. The checksum algorithm is not published; the emulator's
 * (first 8 hex of SHA-256 of the body) is a guess that only keeps the length and alphabet. */
export function newClientSecret(): string {
  const bytes = randomBytes(40);
  const body = Array.from(bytes, (b) => ALNUM[b % ALNUM.length]).join("");
  return `cfast_${body}${digest(body).slice(0, 8)}`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Go duration -> milliseconds ("forever" -> Infinity). */
export function durationMs(d: string): number {
  if (d === "forever") return Infinity;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: HOUR };
  let total = 0;
  for (const m of d.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

// "forever" still answers an expires_at (the provider's WithDuration acceptance test checks
// expires_at NotNull for duration "forever"); the far-future value is the emulator's guess.
const FOREVER = "9999-12-31T23:59:59Z";
const expiry = (fromMs: number, d: string) => (d === "forever" ? FOREVER : iso(fromMs + durationMs(d)));

function validate(ctx: Ctx, body: Obj, creating: boolean): void {
  const c = new Checker(body, CODE)
    .string("name", "duration", "previous_client_secret_expires_at")
    .boolean("enabled")
    .number("client_secret_version");
  if (creating) c.required("name");
  if (typeof body.duration === "string")
    c.check(
      body.duration === "forever" || (isDuration(body.duration) && durationMs(body.duration) > 0),
      'duration must be a positive duration like 8760h or "forever"',
    );
  if (typeof body.previous_client_secret_expires_at === "string")
    c.check(
      !Number.isNaN(Date.parse(body.previous_client_secret_expires_at)),
      "previous_client_secret_expires_at must be an RFC 3339 timestamp",
    );
  if (creating) {
    const n = portal(ctx.store).serviceTokens.filter((t) => t._scope === scopeKey(ctx)).length;
    c.check(n < MAX_SERVICE_TOKENS, `an account can have at most ${MAX_SERVICE_TOKENS} service tokens`);
  }
  c.done();
}

function scopeKey(ctx: Ctx): string {
  const s = scopeOf(ctx);
  return `${s.kind}/${s.id}`;
}

/** The public fields, in the recorded order; never a secret or its digest. */
export function tokenView(t: Obj, secret?: string): Obj {
  const out: Obj = {
    id: t.id,
    name: t.name,
    client_id: t.client_id,
    created_at: t.created_at,
    updated_at: t.updated_at,
    expires_at: t.expires_at,
    duration: t.duration,
    enabled: t.enabled,
    client_secret_version: t.client_secret_version,
  };
  if (t.last_seen_at) out.last_seen_at = t.last_seen_at;
  if (secret) out.client_secret = secret;
  return out;
}

function find(ctx: Ctx): Obj {
  const t = portal(ctx.store).serviceTokens.find((x) => x.id === ctx.params.id && x._scope === scopeKey(ctx));
  if (!t) notFound(CODE, "access.api.error.not_found: service token not found");
  return t;
}

/** New secret; the current one becomes "previous" until `prevExpires` (default now). */
function rotate(ctx: Ctx, t: Obj, prevExpires: unknown, version?: number): string {
  const secret = newClientSecret();
  t._previous_secret_sha256 = t._secret_sha256;
  t._previous_secret_expires_at =
    typeof prevExpires === "string" ? iso(Date.parse(prevExpires)) : ctx.store.now();
  t._secret_sha256 = digest(secret);
  t.client_secret_version = version ?? (t.client_secret_version ?? 1) + 1;
  t.updated_at = ctx.store.now();
  return secret;
}

export function registerServiceTokens(r: Router): void {
  for (const base of ["/accounts/:account", "/zones/:zone"]) {
    const path = `${base}/access/service_tokens`;
    r.get(path, (ctx) => {
      let list = portal(ctx.store).serviceTokens.filter((t) => t._scope === scopeKey(ctx));
      const name = ctx.query.get("name");
      const search = ctx.query.get("search")?.toLowerCase();
      if (name) list = list.filter((t) => t.name === name);
      if (search) list = list.filter((t) => String(t.name).toLowerCase().includes(search));
      // per_page 1000 by default: result_info of the recorded list (cf-terraforming v5 testdata).
      return paginate(
        list.map((t) => tokenView(t)),
        ctx.query,
        { perPage: 1000, maxPerPage: 1000 },
      );
    });
    r.post(path, (ctx) => {
      const body = stripNulls(objectBody(ctx.body, CODE));
      validate(ctx, body, true);
      const now = ctx.store.now();
      const duration = body.duration ?? DEFAULT_DURATION;
      const secret = newClientSecret();
      const t: Obj = {
        id: uuid(),
        name: body.name,
        client_id: `${hex(16)}.access`,
        created_at: now,
        updated_at: now,
        expires_at: expiry(Date.parse(now), duration),
        duration,
        enabled: body.enabled ?? true,
        client_secret_version: body.client_secret_version ?? 1,
        _scope: scopeKey(ctx),
        _secret_sha256: digest(secret),
      };
      if (body.previous_client_secret_expires_at)
        t._previous_secret_expires_at = body.previous_client_secret_expires_at;
      portal(ctx.store).serviceTokens.push(t);
      return { status: 201, result: tokenView(t, secret) };
    });
    r.get(`${path}/:id`, (ctx) => ok(tokenView(find(ctx))));
    r.put(`${path}/:id`, (ctx) => {
      const t = find(ctx);
      const body = stripNulls(objectBody(ctx.body, CODE));
      validate(ctx, body, false);
      const now = ctx.store.now();
      if (typeof body.name === "string") t.name = body.name;
      if (typeof body.enabled === "boolean") t.enabled = body.enabled;
      // "Cloudflare resets the expiration relative to the time of the update" (docs, Renew).
      if (typeof body.duration === "string") {
        t.duration = body.duration;
        t.expires_at = expiry(Date.parse(now), body.duration);
      }
      let secret: string | undefined;
      const v = body.client_secret_version;
      if (typeof v === "number" && v > (t.client_secret_version ?? 1)) {
        secret = rotate(ctx, t, body.previous_client_secret_expires_at, v);
      } else if (typeof body.previous_client_secret_expires_at === "string" && t._previous_secret_sha256) {
        // Moving the grace period of the last rotation (later or into the past).
        t._previous_secret_expires_at = iso(Date.parse(body.previous_client_secret_expires_at));
      }
      t.updated_at = now;
      return ok(tokenView(t, secret));
    });
    r.delete(`${path}/:id`, (ctx) => {
      const t = find(ctx);
      const st = portal(ctx.store);
      st.serviceTokens = st.serviceTokens.filter((x) => x !== t);
      return ok(tokenView(t));
    });
  }
  // refresh and rotate exist on the account path only (SDK: /accounts/{account_id}/...).
  r.post("/accounts/:account/access/service_tokens/:id/refresh", (ctx) => {
    const t = find(ctx);
    // Docs: "To extend the token's lifetime by one year, select Refresh" — a year from now
    // or from the current expiry, whichever is later (the emulator's reading of "extend").
    if (t.duration !== "forever") {
      const from = Math.max(Date.parse(ctx.store.now()), Date.parse(t.expires_at));
      t.expires_at = iso(from + durationMs(DEFAULT_DURATION));
    }
    t.updated_at = ctx.store.now();
    return ok(tokenView(t));
  });
  r.post("/accounts/:account/access/service_tokens/:id/rotate", (ctx) => {
    const t = find(ctx);
    const body = ctx.body === undefined ? {} : stripNulls(objectBody(ctx.body, CODE));
    new Checker(body, CODE).string("previous_client_secret_expires_at").done();
    if (
      typeof body.previous_client_secret_expires_at === "string" &&
      Number.isNaN(Date.parse(body.previous_client_secret_expires_at))
    )
      fail(400, CODE, "previous_client_secret_expires_at must be an RFC 3339 timestamp");
    const secret = rotate(ctx, t, body.previous_client_secret_expires_at);
    return ok(tokenView(t, secret));
  });
}

/** For the decision evaluator: is this id/secret pair a valid credential right now? */
export function checkServiceToken(
  tokens: Obj[],
  clientId: string,
  clientSecret: string,
  nowMs: number,
): { token?: Obj; reason?: string } {
  const t = tokens.find((x) => x.client_id === clientId);
  if (!t) return { reason: `no service token has client_id ${clientId}` };
  if (t.enabled === false) return { token: t, reason: `service token ${t.name} is disabled` };
  if (t.expires_at && Date.parse(t.expires_at) <= nowMs)
    return { token: t, reason: `service token ${t.name} expired at ${t.expires_at}` };
  const d = digest(clientSecret);
  if (d === t._secret_sha256) return { token: t };
  if (d === t._previous_secret_sha256) {
    if (t._previous_secret_expires_at && Date.parse(t._previous_secret_expires_at) > nowMs)
      return { token: t };
    return {
      token: t,
      reason: `the previous secret of service token ${t.name} expired at ${t._previous_secret_expires_at}`,
    };
  }
  return { token: t, reason: `wrong client secret for service token ${t.name}` };
}
