// Seeds of the /__admin/ API: Access sign-in events, WARP registrations,
// physical devices and tunnel connectors, in the shapes Cloudflare answers.
import { randomBytes } from "node:crypto";
import { AdminError } from "./admin-types";
import { type Obj, hex, isObj, uuid } from "./http";
import type { EmulatorState } from "./state";

export function seedAccessRequest(e: Obj, i: number): Obj {
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

export function seedRegistration(e: Obj, i: number): Obj {
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
export function checkDevice(e: Obj, i: number): void {
  if (!isObj(e)) throw new AdminError(400, `devices[${i}] must be an object`);
  if (typeof e.serial !== "string" || !e.serial)
    throw new AdminError(400, `devices[${i}].serial is required`);
  if (typeof e.email !== "string" || !e.email.includes("@"))
    throw new AdminError(400, `devices[${i}].email is required`);
  if (e.os !== undefined && e.os !== null && !DEVICE_TYPES[e.os])
    throw new AdminError(400, `devices[${i}].os must be one of ${Object.keys(DEVICE_TYPES).join(", ")}`);
}

export function seedDevice(s: EmulatorState, e: Obj, i: number): Obj {
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
export function seedConnectors(list: unknown, status: string, now: string): Obj[] {
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
