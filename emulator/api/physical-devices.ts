// accounts/{a}/devices/physical-devices — the WARP devices behind registrations
// (cloudflare SDK 7.3.0: zeroTrust.devices.devices.{list,get,delete,revoke};
// `zt device lost` / revokeDevice find a device by serial_number here, and
// `zt review` reads last_seen_at).
//
// There is no separate device store: a physical device is every registration
// sharing one `device.id`. Hardware facts come from the registration's
// `device` object as seeded through the admin API (`serial_number`,
// `device_type`, `model`, `manufacturer`, `os_version`, `hardware_id`,
// `mac_address`), so seeding `{ user: {email}, device: { id, serial_number } }`
// gives a physical device with that serial. `active_registrations` counts the
// registrations that are neither revoked nor deleted; the list's default is
// `active_registrations=only`, as in the SDK's documentation of the parameter.
import { type Obj, fail, notFound, ok } from "../http";
import { cursorPaginate } from "../paging";
import type { Ctx, Router } from "../router";

const CODE = 2000;
const HARDWARE = [
  "device_type",
  "model",
  "manufacturer",
  "os_version",
  "os_version_extra",
  "hardware_id",
  "mac_address",
  "serial_number",
];

const time = (v: unknown) => (typeof v === "string" && v ? Date.parse(v) : NaN);
const latest = (a: string | null, b: unknown): string | null =>
  typeof b !== "string" || !b ? a : a === null || time(b) > time(a) ? b : a;

/** One view per device id, built from its (non-deleted) registrations (also the admin API's `GET /__admin/devices`). */
export function physicalDevices(ctx: Pick<Ctx, "store">): Obj[] {
  const byId = new Map<string, Obj[]>();
  for (const r of ctx.store.data.devices.registrations) {
    const id = r.device?.id;
    if (!id || r.deleted_at) continue;
    byId.set(id, [...(byId.get(id) ?? []), r]);
  }
  return [...byId.entries()].map(([id, regs]) => {
    let lastSeen: string | null = null;
    let lastReg: Obj | undefined;
    for (const r of regs) {
      const next = latest(lastSeen, r.last_seen_at);
      if (next !== lastSeen) lastReg = r;
      lastSeen = next;
    }
    const first = regs.reduce((a, b) => (time(b.created_at) < time(a.created_at) ? b : a));
    const dev = (lastReg ?? regs[0]).device ?? {};
    const view: Obj = {
      id,
      name: dev.name ?? "",
      active_registrations: regs.filter((r) => !r.revoked_at).length,
      created_at: first.created_at ?? null,
      updated_at: regs.map((r) => r.updated_at).reduce((a: string | null, b: unknown) => latest(a, b), null),
      last_seen_at: lastSeen,
      deleted_at: null,
      tags: {},
      client_version: dev.client_version ?? null,
      last_seen_user: lastReg?.user
        ? { id: lastReg.user.id, email: lastReg.user.email, name: lastReg.user.name }
        : null,
    };
    for (const k of HARDWARE) view[k] = dev[k] ?? null;
    return view;
  });
}

function ids(q: URLSearchParams, name: string): string[] {
  return q
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

function find(ctx: Ctx): Obj {
  const d = physicalDevices(ctx).find((x) => x.id === ctx.params.id);
  if (!d) notFound(CODE, "device not found");
  return d;
}

export function registerPhysicalDevices(r: Router): void {
  const base = "/accounts/:account/devices/physical-devices";

  r.get(base, (ctx) => {
    const q = ctx.query;
    const mode = q.get("active_registrations") ?? "only";
    if (!["include", "only", "exclude"].includes(mode))
      fail(400, CODE, 'active_registrations must be "include", "only" or "exclude"');
    let list = physicalDevices(ctx);
    if (mode === "only") list = list.filter((d) => d.active_registrations > 0);
    if (mode === "exclude") list = list.filter((d) => d.active_registrations === 0);
    const want = ids(q, "id");
    if (want.length) list = list.filter((d) => want.includes(d.id));
    const search = q.get("search")?.toLowerCase();
    if (search)
      list = list.filter((d) =>
        [d.name, d.serial_number, d.last_seen_user?.email].some((v) =>
          String(v ?? "")
            .toLowerCase()
            .includes(search),
        ),
      );
    const after = q.get("seen_after");
    const before = q.get("seen_before");
    if (after) list = list.filter((d) => time(d.last_seen_at) >= time(after));
    if (before) list = list.filter((d) => time(d.last_seen_at) <= time(before));
    list.sort((a, b) => String(a.id).localeCompare(String(b.id)));
    return cursorPaginate(list, q, 10);
  });

  r.get(`${base}/:id`, (ctx) => ok(find(ctx)));

  // Revokes every registration of the device (result null, like the registrations revoke).
  r.post(`${base}/:id/revoke`, (ctx) => {
    const d = find(ctx);
    const now = ctx.store.now();
    for (const reg of ctx.store.data.devices.registrations) {
      if (reg.device?.id === d.id && !reg.deleted_at && !reg.revoked_at) {
        reg.revoked_at = now;
        reg.updated_at = now;
      }
    }
    return ok(null);
  });

  r.delete(`${base}/:id`, (ctx) => {
    const d = find(ctx);
    const now = ctx.store.now();
    for (const reg of ctx.store.data.devices.registrations)
      if (reg.device?.id === d.id && !reg.deleted_at) reg.deleted_at = now;
    return ok(null);
  });
}
