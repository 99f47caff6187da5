// accounts/{a}/cfd_tunnel: tunnels, their token, connections and remote config.
//
// - tunnel (TF zero_trust_tunnel_cloudflared): POST {name, config_src,
//   tunnel_secret?}, PATCH-diff, DELETE. Read keeps config_src and
//   tunnel_secret from state, so GET does not return the secret; every other
//   field is computed and must be present (status, tun_type, connections, ...).
// - token (…_token data source): result is a bare JSON string, the std-base64
//   of {"a":account_tag,"s":secret,"t":tunnel_id} (cloudflared connection.go).
// - config (…_config): PUT-full {config, source?}, Read overwrites `config`, so
//   ingress rules and originRequest keys come back exactly as sent (camelCase),
//   nothing added; `source` is computed_optional (answer "cloudflare").
import { randomBytes } from "node:crypto";
import { type Obj, fail, isObj, notFound, ok, publicView, stripNulls, uuid } from "../http";
import { paginate } from "../paging";
import type { Ctx, Router } from "../router";
import { Checker, objectBody } from "../validate";

const CODE = 1000;
const STATUSES = ["inactive", "degraded", "healthy", "down"];

export function findTunnel(ctx: Ctx, id = ctx.params.id): Obj {
  const t = ctx.store.data.tunnels.items.find((x) => x.id === id && !x.deleted_at);
  if (!t) notFound(1003, "Tunnel not found");
  return t;
}

/** The deprecated `connections` field flattens every connector's connections. */
function tunnelView(ctx: Ctx, t: Obj): Obj {
  const connectors = ctx.store.data.tunnels.connectors[t.id] ?? [];
  const connections = connectors.flatMap((c: Obj) =>
    (c.conns ?? []).map((x: Obj) => ({
      id: x.id,
      client_id: c.id,
      client_version: c.version,
      colo_name: x.colo_name,
      is_pending_reconnect: x.is_pending_reconnect ?? false,
      opened_at: x.opened_at,
      origin_ip: x.origin_ip,
      uuid: x.uuid ?? x.id,
    })),
  );
  return { ...publicView(t), connections };
}

/** A tunnel secret must be base64 of at least 32 bytes (TF schema.go tunnel_secret). */
function decodeSecret(s: unknown): Buffer | undefined {
  if (typeof s !== "string" || !/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return undefined;
  const buf = Buffer.from(s, "base64");
  return buf.length >= 32 ? buf : undefined;
}

function validateTunnel(ctx: Ctx, body: Obj, selfId?: string): void {
  const c = new Checker(body, CODE)
    .string("name", "config_src", "tunnel_secret")
    .oneOf("config_src", ["local", "cloudflare"]);
  if (!selfId) c.required("name");
  if (body.tunnel_secret !== undefined && body.tunnel_secret !== null)
    c.check(!!decodeSecret(body.tunnel_secret), "tunnel_secret must be base64 of at least 32 bytes");
  if (typeof body.name === "string") {
    c.check(body.name.trim().length > 0 && body.name.length <= 255, "name must be 1 to 255 characters");
    const clash = ctx.store.data.tunnels.items.find(
      (t) => t.name === body.name && !t.deleted_at && t.id !== selfId,
    );
    if (clash) fail(409, 1013, "You already have a tunnel with this name.");
  }
  c.done();
}

function validateConfig(body: Obj): void {
  const c = new Checker(body, CODE)
    .object("config")
    .string("source")
    .oneOf("source", ["local", "cloudflare"]);
  const cfg = body.config;
  if (isObj(cfg)) {
    const ingress = cfg.ingress;
    if (ingress !== undefined && ingress !== null) {
      if (!Array.isArray(ingress) || ingress.length === 0)
        c.error("config.ingress must be a non-empty array");
      else {
        ingress.forEach((rule: unknown, i: number) => {
          if (!isObj(rule)) return c.error(`config.ingress[${i}] must be an object`);
          if (typeof rule.service !== "string" || !rule.service)
            return c.error(`config.ingress[${i}].service is required`);
          if (
            !/^(https?|tcp|ssh|rdp|smb|unix|unix\+tls|http_status):|^hello[_-]world$|^bastion$|^socks5$/.test(
              rule.service,
            )
          )
            c.error(`config.ingress[${i}].service ${rule.service} is not a supported origin service`);
          if (/^http_status:/.test(rule.service))
            c.check(
              /^http_status:[1-5]\d\d$/.test(rule.service),
              `config.ingress[${i}].service has an invalid status`,
            );
        });
        // cloudflared's own rule: the last ingress rule must catch everything.
        const last = ingress[ingress.length - 1];
        if (isObj(last) && (last.hostname || last.path))
          c.error(
            "The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)",
          );
      }
    }
  }
  c.done();
}

export function registerTunnels(r: Router): void {
  const base = "/accounts/:account/cfd_tunnel";

  r.get(base, (ctx) => {
    const q = ctx.query;
    const isDeleted = q.get("is_deleted");
    let items = ctx.store.data.tunnels.items.filter((t) =>
      isDeleted === "true"
        ? !!t.deleted_at
        : isDeleted === "false" || isDeleted === null
          ? !t.deleted_at
          : true,
    );
    const name = q.get("name");
    if (name) items = items.filter((t) => t.name === name);
    const idq = q.get("uuid");
    if (idq) items = items.filter((t) => t.id === idq);
    const status = q.get("status");
    if (status) items = items.filter((t) => t.status === status);
    return paginate(
      items.map((t) => tunnelView(ctx, t)),
      q,
      { perPage: 20, maxPerPage: 1000 },
    );
  });

  r.post(base, (ctx) => {
    const body = objectBody(ctx.body, CODE);
    validateTunnel(ctx, body);
    const id = uuid();
    const secret = body.tunnel_secret ? decodeSecret(body.tunnel_secret)! : randomBytes(32);
    ctx.store.data.tunnels.secrets[id] = secret.toString("base64");
    const configSrc = body.config_src ?? "local";
    const t: Obj = {
      id,
      account_tag: ctx.store.data.account.id,
      created_at: ctx.store.now(),
      deleted_at: null,
      name: body.name,
      conns_active_at: null,
      conns_inactive_at: null,
      tun_type: "cfd_tunnel",
      metadata: {},
      status: "inactive",
      remote_config: configSrc === "cloudflare",
      config_src: configSrc,
    };
    ctx.store.data.tunnels.items.push(t);
    ctx.store.data.tunnels.connectors[id] = [];
    return ok(tunnelView(ctx, t));
  });

  r.get(`${base}/:id`, (ctx) => ok(tunnelView(ctx, findTunnel(ctx))));

  r.patch(`${base}/:id`, (ctx) => {
    const t = findTunnel(ctx);
    const body = objectBody(ctx.body, CODE);
    validateTunnel(ctx, body, t.id);
    if (typeof body.name === "string") t.name = body.name;
    if (typeof body.tunnel_secret === "string")
      ctx.store.data.tunnels.secrets[t.id] = decodeSecret(body.tunnel_secret)!.toString("base64");
    return ok(tunnelView(ctx, t));
  });

  r.delete(`${base}/:id`, (ctx) => {
    const t = findTunnel(ctx);
    const live = (ctx.store.data.tunnels.connectors[t.id] ?? []).some((c: Obj) => (c.conns ?? []).length > 0);
    if (live)
      fail(
        400,
        1022,
        "Cannot delete tunnel because it has active connections. Stop cloudflared or clean up connections first.",
      );
    t.deleted_at = ctx.store.now();
    return ok(tunnelView(ctx, t));
  });

  r.get(`${base}/:id/token`, (ctx) => {
    const t = findTunnel(ctx);
    const token = Buffer.from(
      JSON.stringify({ a: t.account_tag, s: ctx.store.data.tunnels.secrets[t.id], t: t.id }),
    ).toString("base64");
    return ok(token);
  });

  r.get(`${base}/:id/connections`, (ctx) => {
    const t = findTunnel(ctx);
    return ok(ctx.store.data.tunnels.connectors[t.id] ?? []);
  });
  // Cleans up stale connectors: all of them, or one with ?client_id=.
  r.delete(`${base}/:id/connections`, (ctx) => {
    const t = findTunnel(ctx);
    const clientId = ctx.query.get("client_id");
    const all = ctx.store.data.tunnels.connectors[t.id] ?? [];
    ctx.store.data.tunnels.connectors[t.id] = clientId ? all.filter((c: Obj) => c.id !== clientId) : [];
    if (!ctx.store.data.tunnels.connectors[t.id].length && t.status !== "inactive") {
      t.status = "down";
      t.conns_inactive_at = ctx.store.now();
    }
    return ok(null);
  });

  r.get(`${base}/:id/configurations`, (ctx) => {
    const t = findTunnel(ctx);
    const cfg = ctx.store.data.tunnels.configs[t.id];
    return ok(
      cfg ?? {
        tunnel_id: t.id,
        account_id: t.account_tag,
        version: 0,
        config: null,
        source: t.config_src === "cloudflare" ? "cloudflare" : "local",
        created_at: t.created_at,
      },
    );
  });

  r.put(`${base}/:id/configurations`, (ctx) => {
    const t = findTunnel(ctx);
    const body = objectBody(ctx.body, CODE);
    validateConfig(body);
    if (t.config_src !== "cloudflare")
      fail(
        400,
        1055,
        "This tunnel is locally configured (config_src local); remote configuration is only for tunnels with config_src cloudflare",
      );
    const prev = ctx.store.data.tunnels.configs[t.id];
    const cfg = {
      tunnel_id: t.id,
      account_id: t.account_tag,
      config: body.config === undefined || body.config === null ? null : stripNulls(body.config),
      source: body.source ?? "cloudflare",
      version: (prev?.version ?? 0) + 1,
      created_at: ctx.store.now(),
    };
    ctx.store.data.tunnels.configs[t.id] = cfg;
    return ok(cfg);
  });
}

export { STATUSES as TUNNEL_STATUSES };
