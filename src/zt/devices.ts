import { Api } from "./context";
import { collect, Loose } from "./inventory";

// The WARP devices Cloudflare knows, by id and by serial number: physical devices carry the serial,
// registrations tie a device to the person signed in on it.

export interface KnownDevice {
  id: string;
  name?: string;
  serial?: string;
  /** RFC 3339, when the device last talked to Cloudflare. */
  lastSeen?: string;
  emails: string[];
  activeRegistrations: number;
}

export interface DeviceIndex {
  byId: Map<string, KnownDevice>;
  /** Upper-cased serial -> devices reporting it. */
  bySerial: Map<string, KnownDevice[]>;
}

const later = (a: string | undefined, b: string | undefined) =>
  !a ? b : !b ? a : Date.parse(a) >= Date.parse(b) ? a : b;

export async function deviceIndex(api: Api): Promise<DeviceIndex> {
  const account_id = api.accountId;
  const [physical, registrations] = await Promise.all([
    // "include": devices whose registrations were all revoked still count as seen.
    collect(
      api.client.zeroTrust.devices.devices.list({
        account_id,
        per_page: 100,
        active_registrations: "include",
      }),
    ) as Promise<Loose[]>,
    collect(api.client.zeroTrust.devices.registrations.list({ account_id, per_page: 100 })) as Promise<
      Loose[]
    >,
  ]);
  const byId = new Map<string, KnownDevice>();
  for (const d of physical) {
    if (d.deleted_at) continue;
    byId.set(d.id, {
      id: d.id,
      name: d.name ?? undefined,
      serial: d.serial_number ?? undefined,
      lastSeen: d.last_seen_at ?? undefined,
      emails: d.last_seen_user?.email ? [String(d.last_seen_user.email).toLowerCase()] : [],
      activeRegistrations: Number(d.active_registrations ?? 0),
    });
  }
  const physicalIds = new Set(byId.keys());
  for (const r of registrations) {
    const id = r.device?.id;
    if (!id || r.deleted_at) continue;
    const d: KnownDevice = byId.get(id) ?? { id, name: r.device?.name, emails: [], activeRegistrations: 0 };
    d.name ??= r.device?.name;
    d.lastSeen = later(d.lastSeen, r.last_seen_at ?? undefined);
    // The physical device already counts its registrations; otherwise count them here.
    if (!physicalIds.has(id) && !r.revoked_at) d.activeRegistrations++;
    const email = r.user?.email ? String(r.user.email).toLowerCase() : undefined;
    if (email && !d.emails.includes(email)) d.emails.push(email);
    byId.set(id, d);
  }
  const bySerial = new Map<string, KnownDevice[]>();
  for (const d of byId.values()) {
    if (!d.serial) continue;
    const key = d.serial.toUpperCase();
    bySerial.set(key, [...(bySerial.get(key) ?? []), d]);
  }
  return { byId, bySerial };
}
