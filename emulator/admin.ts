// The /__admin/ API: lets tests and other processes see and steer the emulator
// the way only Cloudflare's own staff (or the dashboard) could: replace state,
// edit a resource behind the stack's back, seed sign-in events and devices,
// bring tunnels up and down, inject faults, read the request log.
// Plain JSON in and out (no Cloudflare envelope); no auth, loopback only.
import { randomBytes } from "node:crypto";
import { type Obj, clone, hex, isObj, uuid } from "./http";
import type { FaultRule, Faults } from "./faults";
import type { RequestLog } from "./log";
import type { EmulatorState, Store } from "./state";
import { TUNNEL_STATUSES } from "./api/tunnels";
import { physicalDevices } from "./api/physical-devices";
import { decide } from "./portal/decide";
import { PORTAL_COLLECTIONS } from "./portal/admin-collections";

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface AdminDeps {
  store: Store;
  faults: Faults;
  log: RequestLog;
}

export interface AdminReply {
  status: number;
  body: unknown;
}

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

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new AdminError(404, `${what} not found`);
  return v;
}

function seedAccessRequest(e: Obj, i: number): Obj {
  if (!isObj(e)) throw new AdminError(400, `access_requests[${i}] must be an object`);
  if (typeof e.user_email !== "string")
    throw new AdminError(400, `access_requests[${i}].user_email is required`);
  return {
    action: "login",
    allowed: true,
    app_domain: "app.example.org",
    app_uid: uuid(),
    app_type: "self_hosted",
    connection: "onetimepin",
    country: "us",
    created_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    ip_address: "198.51.100.7",
    ray_id: hex(8),
    user_id: uuid(),
    ...e,
  };
}

function seedRegistration(e: Obj, i: number): Obj {
  if (!isObj(e)) throw new AdminError(400, `registrations[${i}] must be an object`);
  if (!isObj(e.user) || typeof e.user.email !== "string")
    throw new AdminError(400, `registrations[${i}].user.email is required`);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    id: uuid(),
    key: randomBytes(32).toString("base64"),
    key_type: "curve25519",
    registration_type: "warp",
    tunnel_type: "masque",
    created_at: now,
    updated_at: now,
    last_seen_at: now,
    revoked_at: null,
    deleted_at: null,
    policy: { id: "default", name: "Default", default: true, deleted: false, updated_at: now },
    ...e,
    device: {
      id: uuid(),
      name: `${String(e.user.email).split("@")[0]}-laptop`,
      client_version: "2025.1.0",
      ...(e.device ?? {}),
    },
    user: { id: uuid(), name: String(e.user.email).split("@")[0], ...e.user },
  };
}

// users.yaml's os values (and Cloudflare's own device_type values) -> device_type.
const DEVICE_TYPES: Record<string, string> = {
  macos: "mac",
  mac: "mac",
  windows: "windows",
  linux: "linux",
  ios: "ios",
  android: "android",
  chromeos: "chromeos",
};

/** A WARP enrolment of a physical device: `{serial, email, os?, name?, ...}` -> one registration whose
 * `device` carries the serial. The same serial always maps to the same device id, so enrolling a
 * device again (or for another user) adds a registration to the existing physical device. */
function checkDevice(e: Obj, i: number): void {
  if (!isObj(e)) throw new AdminError(400, `devices[${i}] must be an object`);
  if (typeof e.serial !== "string" || !e.serial)
    throw new AdminError(400, `devices[${i}].serial is required`);
  if (typeof e.email !== "string" || !e.email.includes("@"))
    throw new AdminError(400, `devices[${i}].email is required`);
  if (e.os !== undefined && e.os !== null && !DEVICE_TYPES[e.os])
    throw new AdminError(400, `devices[${i}].os must be one of ${Object.keys(DEVICE_TYPES).join(", ")}`);
}

function seedDevice(s: EmulatorState, e: Obj, i: number): Obj {
  const { serial, email, os, name, revoked, ...rest } = e;
  const live = s.devices.registrations.filter((r) => !r.deleted_at);
  const known = live.find(
    (r) => String(r.device?.serial_number ?? "").toUpperCase() === serial.toUpperCase(),
  );
  const sameUser = live.find((r) => String(r.user?.email ?? "").toLowerCase() === email.toLowerCase());
  const deviceType = os ? DEVICE_TYPES[os] : (known?.device?.device_type ?? null);
  const reg = seedRegistration(
    {
      ...rest,
      user: {
        ...(sameUser ? { id: sameUser.user.id, name: sameUser.user.name } : {}),
        email,
        ...(rest.user ?? {}),
      },
      device: {
        id: known?.device?.id ?? uuid(),
        name: name ?? known?.device?.name ?? `${email.split("@")[0]}-${deviceType ?? "device"}`,
        serial_number: serial,
        device_type: deviceType,
        ...(rest.device ?? {}),
      },
    },
    i,
  );
  if (revoked) reg.revoked_at = typeof revoked === "string" ? revoked : reg.created_at;
  return reg;
}

/** Build connectors (cloudflared processes) in the shape GET .../connections returns. */
function seedConnectors(list: unknown, status: string, now: string): Obj[] {
  if (list === undefined) {
    if (status === "inactive" || status === "down") return [];
    // A healthy cloudflared holds four connections to two colos.
    list = [{ conns: status === "degraded" ? 1 : 4 }];
  }
  if (!Array.isArray(list)) throw new AdminError(400, "connectors must be an array");
  return list.map((c: Obj) => {
    const id = c.id ?? uuid();
    const n = typeof c.conns === "number" ? c.conns : undefined;
    const conns = Array.isArray(c.conns)
      ? c.conns
      : Array.from({ length: n ?? 4 }, (_, i) => ({
          colo_name: ["ams01", "fra02", "lhr01", "cdg03"][i % 4],
          origin_ip: "203.0.113.10",
        }));
    return {
      id,
      arch: c.arch ?? "linux_amd64",
      config_version: c.config_version ?? 0,
      features: c.features ?? ["ha-origin", "management_logs"],
      run_at: c.run_at ?? now,
      version: c.version ?? "2025.8.0",
      conns: conns.map((x: Obj) => {
        const cid = x.id ?? uuid();
        return {
          id: cid,
          uuid: cid,
          client_id: id,
          client_version: c.version ?? "2025.8.0",
          is_pending_reconnect: false,
          opened_at: now,
          ...x,
        };
      }),
    };
  });
}

export function handleAdmin(
  deps: AdminDeps,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
): AdminReply {
  const { store, faults, log } = deps;
  const s = store.data;
  const seg = path
    .replace(/^\/__admin\/?/, "")
    .split("/")
    .filter(Boolean)
    .map(decodeURIComponent);
  const route = `${method} ${seg[0] ?? ""}`;
  const okBody = (b: unknown, status = 200): AdminReply => ({ status, body: b });
  const list = (b: unknown): Obj[] => (Array.isArray(b) ? b : [b]) as Obj[];

  switch (route) {
    case "GET health":
      return okBody({ ok: true, accountId: s.account.id, zoneId: s.zones[0].id, zoneName: s.zones[0].name });
    case "GET state":
      return okBody(s);
    case "PUT state":
      try {
        store.replace(body as EmulatorState);
      } catch (e) {
        throw new AdminError(400, (e as Error).message);
      }
      return okBody({ ok: true });
    case "POST reset":
      store.reset();
      return okBody({ ok: true });
    case "GET requests":
      return okBody(log.entries());
    case "DELETE requests":
      log.clear();
      return okBody({ ok: true });
    case "GET faults":
      return okBody(faults.list());
    case "POST faults":
      try {
        for (const r of list(body)) faults.add(r as unknown as FaultRule);
      } catch (e) {
        throw new AdminError(400, (e as Error).message);
      }
      return okBody(faults.list(), 201);
    case "DELETE faults":
      faults.clear();
      return okBody({ ok: true });
    case "GET revocations":
      return okBody(s.access.revocations);
    case "GET access_requests":
      return okBody(s.access.requests);
    case "POST access_requests": {
      const added = list(body).map(seedAccessRequest);
      s.access.requests.push(...added);
      store.save();
      return okBody(added, 201);
    }
    case "DELETE access_requests":
      s.access.requests = [];
      store.save();
      return okBody({ ok: true });
    case "GET registrations":
      return okBody(s.devices.registrations);
    case "POST registrations": {
      const added = list(body).map(seedRegistration);
      s.devices.registrations.push(...added);
      store.save();
      return okBody(added, 201);
    }
    case "DELETE registrations":
      s.devices.registrations = [];
      store.save();
      return okBody({ ok: true });
    case "GET devices":
      return okBody(physicalDevices({ store }));
    case "POST devices": {
      const added: Obj[] = [];
      list(body).forEach(checkDevice);
      // One at a time, so a serial listed twice in one call lands on one device.
      list(body).forEach((e, i) => {
        const reg = seedDevice(s, e, i);
        s.devices.registrations.push(reg);
        added.push(reg);
      });
      store.save();
      return okBody(added, 201);
    }
    case "GET logpush": {
      // GET /__admin/logpush/challenges[?destination_conf=...]
      if (seg[1] !== "challenges") break;
      const dest = query.get("destination_conf");
      if (!dest)
        return okBody(Object.entries(s.logpush.challenges).map(([d, c]) => ({ destination_conf: d, ...c })));
      const ch = need(s.logpush.challenges[dest], `challenge for ${dest}`);
      return okBody({ destination_conf: dest, ...ch });
    }
    case "PUT tunnels": {
      // PUT /__admin/tunnels/<id>/status {status, connectors?}
      if (seg[2] !== "status" || !seg[1]) break;
      const t = need(
        s.tunnels.items.find((x) => x.id === seg[1]),
        `tunnel ${seg[1]}`,
      );
      if (!isObj(body) || !TUNNEL_STATUSES.includes(body.status))
        throw new AdminError(400, `status must be one of ${TUNNEL_STATUSES.join(", ")}`);
      const now = store.now();
      const connectors = seedConnectors(body.connectors, body.status, now);
      const wasActive = (s.tunnels.connectors[t.id] ?? []).some((c) => c.conns.length);
      const isActive = connectors.some((c) => c.conns.length);
      s.tunnels.connectors[t.id] = connectors;
      t.status = body.status;
      if (isActive && !wasActive) t.conns_active_at = now;
      if (!isActive && wasActive) t.conns_inactive_at = now;
      store.save();
      return okBody({ status: t.status, connectors });
    }
    case "POST access": // POST /__admin/access/decide (emulator/portal/decide.ts)
      if (seg[1] === "decide" && !seg[2]) return okBody(decide(store, body));
      break;
    case "GET resources":
    case "PATCH resources":
    case "PUT resources":
    case "DELETE resources":
      return resources(deps, method, seg.slice(1), body);
  }
  throw new AdminError(404, `no admin route ${method} ${path}`);
}

function resources(deps: AdminDeps, method: string, seg: string[], body: unknown): AdminReply {
  const { store } = deps;
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
