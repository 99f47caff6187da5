// WARP device registrations and the revoke endpoints `zt revoke` uses
// (cloudflare SDK: zeroTrust.devices.registrations.*, zeroTrust.devices.revoke).
// Registrations are seeded through the admin API: there are no devices here.
import { type Obj, fail, notFound, ok } from "../http";
import { cursorPaginate } from "../paging";
import type { Ctx, Router } from "../router";

const CODE = 2000;

/** Repeated query values: `?id=a&id=b` (the SDK's arrayFormat "repeat"); commas are accepted too. */
function ids(q: URLSearchParams, name: string): string[] {
  return q
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

function filtered(ctx: Ctx): Obj[] {
  const q = ctx.query;
  const status = q.get("status") ?? "active";
  if (!["active", "all", "revoked"].includes(status))
    fail(400, CODE, 'status must be "active", "all" or "revoked"');
  let regs = ctx.store.data.devices.registrations.filter((r) => !r.deleted_at);
  if (status === "active") regs = regs.filter((r) => !r.revoked_at);
  if (status === "revoked") regs = regs.filter((r) => !!r.revoked_at);
  const want = {
    id: ids(q, "id"),
    user: ids(q, "user.id"),
    device: ids(q, "device.id"),
    email: ids(q, "user.email"),
  };
  if (want.id.length) regs = regs.filter((r) => want.id.includes(r.id));
  if (want.user.length) regs = regs.filter((r) => want.user.includes(r.user?.id));
  if (want.email.length) regs = regs.filter((r) => want.email.includes(r.user?.email));
  if (want.device.length) regs = regs.filter((r) => want.device.includes(r.device?.id));
  const search = q.get("search")?.toLowerCase();
  if (search)
    regs = regs.filter((r) =>
      [r.user?.email, r.user?.name, r.device?.name].some((v) =>
        String(v ?? "")
          .toLowerCase()
          .includes(search),
      ),
    );
  const after = q.get("seen_after");
  const before = q.get("seen_before");
  if (after) regs = regs.filter((r) => Date.parse(r.last_seen_at) >= Date.parse(after));
  if (before) regs = regs.filter((r) => Date.parse(r.last_seen_at) <= Date.parse(before));
  const sortBy = q.get("sort_by") ?? "id";
  const key = (r: Obj) =>
    String(
      sortBy === "user.name" ? r.user?.name : sortBy === "user.email" ? r.user?.email : (r[sortBy] ?? ""),
    );
  regs = regs
    .slice()
    .sort((a, b) => key(a).localeCompare(key(b)) || String(a.id).localeCompare(String(b.id)));
  if (q.get("sort_order") === "desc") regs.reverse();
  return regs;
}

/** Mark registrations revoked (or not); unknown ids are a 404 so callers notice typos. */
function setRevoked(
  ctx: Ctx,
  idList: string[],
  revoked: boolean,
  match: (r: Obj, id: string) => boolean,
): void {
  if (!idList.length) fail(400, CODE, "at least one id is required");
  const now = ctx.store.now();
  const regs = ctx.store.data.devices.registrations.filter((r) => !r.deleted_at);
  const missing = idList.filter((id) => !regs.some((r) => match(r, id)));
  if (missing.length) notFound(CODE, `registration not found: ${missing.join(", ")}`);
  for (const r of regs) {
    if (!idList.some((id) => match(r, id))) continue;
    r.revoked_at = revoked ? (r.revoked_at ?? now) : null;
    r.updated_at = now;
  }
}

export function registerRegistrations(r: Router): void {
  const base = "/accounts/:account/devices/registrations";
  r.get(base, (ctx) => cursorPaginate(filtered(ctx), ctx.query, 10));
  r.get(`${base}/:id`, (ctx) => {
    const reg = ctx.store.data.devices.registrations.find((x) => x.id === ctx.params.id && !x.deleted_at);
    if (!reg) notFound(CODE, "registration not found");
    return ok(reg);
  });
  r.post(`${base}/revoke`, (ctx) => {
    setRevoked(ctx, ids(ctx.query, "id"), true, (reg, id) => reg.id === id);
    return ok(null);
  });
  r.post(`${base}/unrevoke`, (ctx) => {
    setRevoked(ctx, ids(ctx.query, "id"), false, (reg, id) => reg.id === id);
    return ok(null);
  });
  r.delete(`${base}/:id`, (ctx) => {
    const reg = ctx.store.data.devices.registrations.find((x) => x.id === ctx.params.id && !x.deleted_at);
    if (!reg) notFound(CODE, "registration not found");
    reg.deleted_at = ctx.store.now();
    return ok(null);
  });
  r.delete(base, (ctx) => {
    const list = ids(ctx.query, "id");
    if (!list.length) fail(400, CODE, "at least one id is required");
    const now = ctx.store.now();
    for (const reg of ctx.store.data.devices.registrations) if (list.includes(reg.id)) reg.deleted_at = now;
    return ok(null);
  });

  // Legacy: body is a bare array of device (or registration) ids; result null.
  const legacy = (revoked: boolean) => (ctx: Ctx) => {
    if (!Array.isArray(ctx.body) || ctx.body.some((x) => typeof x !== "string"))
      fail(400, CODE, "request body must be an array of device ids");
    setRevoked(ctx, ctx.body as string[], revoked, (reg, id) => reg.device?.id === id || reg.id === id);
    return ok(null);
  };
  r.post("/accounts/:account/devices/revoke", legacy(true));
  r.post("/accounts/:account/devices/unrevoke", legacy(false));
}
