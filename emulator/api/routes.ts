// accounts/{a}/teamnet/routes and teamnet/virtual_networks
// — cloudflare_zero_trust_tunnel_cloudflared_route.
//
// TF zero_trust_tunnel_cloudflared_route: POST {network, tunnel_id, comment,
// virtual_network_id?}, PATCH-diff, DELETE. `comment` has schema default ""
// (always sent), `virtual_network_id` is computed_optional: answer the default
// virtual network when none was sent. Ids are hyphenated UUIDs: a 32-hex or
// "/"-containing id makes Read fall back to a list lookup (legacy v4 ids).
import { type Obj, fail, notFound, ok, publicView, uuid } from "../http";
import { paginate } from "../paging";
import type { Ctx, Router } from "../router";
import { Checker, isCidr, objectBody } from "../validate";
import { findTunnel } from "./tunnels";

const CODE = 1000;

function defaultVnet(ctx: Ctx): Obj {
  return ctx.store.data.tunnels.vnets.find((v) => v.is_default_network)!;
}

function view(ctx: Ctx, route: Obj): Obj {
  const t = ctx.store.data.tunnels.items.find((x) => x.id === route.tunnel_id);
  const v = ctx.store.data.tunnels.vnets.find((x) => x.id === route.virtual_network_id);
  return {
    ...publicView(route),
    tunnel_name: t?.name ?? null,
    tun_type: "cfd_tunnel",
    virtual_network_name: v?.name ?? null,
  };
}

function validate(ctx: Ctx, body: Obj, creating: boolean): void {
  const c = new Checker(body, CODE).string("network", "tunnel_id", "comment", "virtual_network_id");
  if (creating) c.required("network", "tunnel_id");
  if (body.network !== undefined && body.network !== null)
    c.check(isCidr(body.network), "network must be a CIDR like 10.0.0.0/16");
  if (body.virtual_network_id)
    c.check(
      ctx.store.data.tunnels.vnets.some((v) => v.id === body.virtual_network_id),
      `virtual network ${body.virtual_network_id} not found`,
    );
  c.done();
  if (body.tunnel_id) findTunnel(ctx, body.tunnel_id);
}

/** Two live routes cannot claim the same network in one virtual network. */
function checkClash(ctx: Ctx, network: string, vnet: string, selfId?: string): void {
  const clash = ctx.store.data.tunnels.routes.find(
    (r) => !r.deleted_at && r.id !== selfId && r.network === network && r.virtual_network_id === vnet,
  );
  if (clash) fail(409, 1014, `A route for ${network} already exists in this virtual network`);
}

function find(ctx: Ctx): Obj {
  const r = ctx.store.data.tunnels.routes.find((x) => x.id === ctx.params.id && !x.deleted_at);
  if (!r) notFound(1015, "Route not found");
  return r;
}

/** Containment test for IPv4 and IPv6 CIDRs, used by network_subset/superset filters. */
function parseCidr(c: string): { v6: boolean; bits: bigint; len: number } | undefined {
  const [addr, lenS] = c.split("/");
  const len = Number(lenS ?? (addr.includes(":") ? 128 : 32));
  if (addr.includes(":")) {
    const [head, tail] = addr.split("::");
    const h = head ? head.split(":") : [];
    const t = tail !== undefined && tail ? tail.split(":") : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
    if (groups.length !== 8) return undefined;
    return {
      v6: true,
      bits: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || "0", 16)), 0n),
      len,
    };
  }
  const parts = addr.split(".").map(Number);
  if (parts.length !== 4) return undefined;
  return { v6: false, bits: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n), len };
}

function contains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i || o.v6 !== i.v6 || i.len < o.len) return false;
  const width = o.v6 ? 128n : 32n;
  const shift = width - BigInt(o.len);
  return o.bits >> shift === i.bits >> shift;
}

export function registerRoutes(r: Router): void {
  const base = "/accounts/:account/teamnet/routes";

  r.get(base, (ctx) => {
    const q = ctx.query;
    let routes = ctx.store.data.tunnels.routes.filter((x) =>
      q.get("is_deleted") === "true" ? !!x.deleted_at : !x.deleted_at,
    );
    const subset = q.get("network_subset");
    const superset = q.get("network_superset");
    // network_subset=N: routes whose network lies inside N; network_superset=N: routes containing N.
    if (subset) routes = routes.filter((x) => contains(subset, x.network));
    if (superset) routes = routes.filter((x) => contains(x.network, superset));
    for (const key of ["tunnel_id", "virtual_network_id", "comment"]) {
      const want = q.get(key);
      if (want) routes = routes.filter((x) => x[key] === want);
    }
    const rid = q.get("route_id");
    if (rid) routes = routes.filter((x) => x.id === rid);
    return paginate(
      routes.map((x) => view(ctx, x)),
      q,
      { perPage: 20, maxPerPage: 1000 },
    );
  });

  r.post(base, (ctx) => {
    const body = objectBody(ctx.body, CODE);
    validate(ctx, body, true);
    const vnet = body.virtual_network_id || defaultVnet(ctx).id;
    checkClash(ctx, body.network, vnet);
    const route: Obj = {
      id: uuid(),
      network: body.network,
      tunnel_id: body.tunnel_id,
      comment: body.comment ?? "",
      virtual_network_id: vnet,
      created_at: ctx.store.now(),
      deleted_at: null,
    };
    ctx.store.data.tunnels.routes.push(route);
    return ok(view(ctx, route));
  });

  r.get(`${base}/:id`, (ctx) => ok(view(ctx, find(ctx))));

  r.patch(`${base}/:id`, (ctx) => {
    const route = find(ctx);
    const body = objectBody(ctx.body, CODE);
    validate(ctx, body, false);
    const next = { ...route };
    for (const k of ["network", "tunnel_id", "comment", "virtual_network_id"]) {
      if (!(k in body)) continue;
      next[k] =
        body[k] ?? (k === "comment" ? "" : k === "virtual_network_id" ? defaultVnet(ctx).id : route[k]);
    }
    checkClash(ctx, next.network, next.virtual_network_id, route.id);
    Object.assign(route, next);
    return ok(view(ctx, route));
  });

  r.delete(`${base}/:id`, (ctx) => {
    const route = find(ctx);
    route.deleted_at = ctx.store.now();
    return ok(view(ctx, route));
  });

  r.get("/accounts/:account/teamnet/virtual_networks", (ctx) => {
    const q = ctx.query;
    let vnets = ctx.store.data.tunnels.vnets.filter((v) => !v.deleted_at);
    if (q.get("is_default") === "true") vnets = vnets.filter((v) => v.is_default_network);
    if (q.get("name")) vnets = vnets.filter((v) => v.name === q.get("name"));
    return ok(vnets);
  });
}
