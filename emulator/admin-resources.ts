// /__admin/resources/<kind>[/<id>]: read and edit objects behind the stack's back.
import { AdminError, type AdminReply, need } from "./admin-types";
import { type Obj, clone, isObj } from "./http";
import type { AccountStore, EmulatorState } from "./state";
import { PORTAL_COLLECTIONS } from "./portal/admin-collections";

type Collection = { get(s: EmulatorState): Obj[]; set(s: EmulatorState, v: Obj[]): void };

// Resources addressable by id under /__admin/resources/<kind>/<id>.
const COLLECTIONS: Record<string, Collection> = {
  dns_records: { get: (s) => s.dnsRecords, set: (s, v) => (s.dnsRecords = v) },
  logpush_jobs: { get: (s) => s.logpush.jobs, set: (s, v) => (s.logpush.jobs = v) },
  access_apps: { get: (s) => s.access.apps, set: (s, v) => (s.access.apps = v) },
  access_groups: { get: (s) => s.access.groups, set: (s, v) => (s.access.groups = v) },
  access_policies: { get: (s) => s.access.policies, set: (s, v) => (s.access.policies = v) },
  posture_rules: { get: (s) => s.devices.posture, set: (s, v) => (s.devices.posture = v) },
  lists: { get: (s) => s.lists, set: (s, v) => (s.lists = v) },
  tunnels: { get: (s) => s.tunnels.items, set: (s, v) => (s.tunnels.items = v) },
  routes: { get: (s) => s.tunnels.routes, set: (s, v) => (s.tunnels.routes = v) },
  registrations: { get: (s) => s.devices.registrations, set: (s, v) => (s.devices.registrations = v) },
  ...PORTAL_COLLECTIONS,
};

// Singletons under /__admin/resources/<kind>.
const SINGLETONS: Record<
  string,
  { get(s: EmulatorState): unknown; set(s: EmulatorState, v: unknown): void }
> = {
  organization: {
    get: (s) => s.access.organization,
    set: (s, v) => (s.access.organization = v as Obj | null),
  },
  device_profile: { get: (s) => s.devices.profile, set: (s, v) => (s.devices.profile = v as Obj) },
  device_settings: { get: (s) => s.devices.settings, set: (s, v) => (s.devices.settings = v as Obj) },
  fallback_domains: {
    get: (s) => s.devices.fallbackDomains,
    set: (s, v) => (s.devices.fallbackDomains = v as Obj[]),
  },
};

/** Shallow merge; a null value removes the key (as a dashboard edit clearing a field would). */
function mergeInto(target: Obj, patch: Obj): Obj {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else target[k] = v;
  }
  return target;
}

export function resources(store: AccountStore, method: string, seg: string[], body: unknown): AdminReply {
  const s = store.data;
  const [kind, id] = seg;
  if (kind && SINGLETONS[kind] && !id) {
    const one = SINGLETONS[kind];
    if (method === "GET") return { status: 200, body: need(one.get(s) ?? undefined, kind) };
    if (method === "PUT") {
      one.set(s, clone(body));
      store.save();
      return { status: 200, body: one.get(s) };
    }
    if (method === "PATCH") {
      const cur = one.get(s);
      if (!isObj(cur) || !isObj(body))
        throw new AdminError(400, `${kind} can only be patched with an object (use PUT to replace)`);
      mergeInto(cur, body);
      store.save();
      return { status: 200, body: cur };
    }
    if (method === "DELETE" && kind === "organization") {
      one.set(s, null);
      store.save();
      return { status: 200, body: { ok: true } };
    }
  }
  if (kind === "tunnel_configs" && id) {
    const cfg = need(s.tunnels.configs[id], `configuration of tunnel ${id}`);
    if (method === "GET") return { status: 200, body: cfg };
    if (method === "PATCH" && isObj(body)) {
      mergeInto(cfg, body);
      cfg.version += 1;
      store.save();
      return { status: 200, body: cfg };
    }
  }
  const coll = COLLECTIONS[kind];
  if (!coll) throw new AdminError(404, `unknown resource kind ${kind}`);
  if (!id && method === "GET") return { status: 200, body: coll.get(s) };
  const item = need(
    coll.get(s).find((x) => String(x.id) === id),
    `${kind}/${id}`,
  );
  if (method === "GET") return { status: 200, body: item };
  if (method === "PATCH") {
    if (!isObj(body)) throw new AdminError(400, "patch body must be an object");
    if ("id" in body && String(body.id) !== id) throw new AdminError(400, "id cannot be changed");
    mergeInto(item, body);
    if ("updated_at" in item && !("updated_at" in body)) item.updated_at = store.now();
    if ("modified_on" in item && !("modified_on" in body)) item.modified_on = store.now();
    store.save();
    return { status: 200, body: item };
  }
  if (method === "DELETE") {
    coll.set(
      s,
      coll.get(s).filter((x) => x !== item),
    );
    store.save();
    return { status: 200, body: { ok: true } };
  }
  throw new AdminError(405, `${method} not supported on ${kind}`);
}
