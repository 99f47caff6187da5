import { ApiTarget, createClient } from "./client";

// Ending access now, not at the next sign-in: used by reconciliation (a removed user or device) and by
// the `zt revoke` / `zt device lost` commands.

export interface RevokeResult {
  sessionsRevoked: boolean;
  registrationIds: string[];
}

/** Revoke the user's Access sessions and every WARP registration of theirs. */
export async function revokeUser(target: ApiTarget, email: string): Promise<RevokeResult> {
  const client = createClient(target);
  const account_id = target.accountId;
  const lower = email.toLowerCase();
  const sessionsRevoked =
    (await client.zeroTrust.organizations.revokeUsers({ account_id, email: lower })) !== false;
  const registrationIds: string[] = [];
  for await (const r of client.zeroTrust.devices.registrations.list({ account_id, per_page: 100 })) {
    if (r.user?.email?.toLowerCase() === lower && !r.revoked_at) registrationIds.push(r.id);
  }
  if (registrationIds.length > 0)
    await client.zeroTrust.devices.registrations.revoke({ account_id, id: registrationIds });
  return { sessionsRevoked, registrationIds };
}

/** Revoke every WARP registration of the physical device with this serial number. */
export async function revokeDevice(target: ApiTarget, serial: string): Promise<RevokeResult> {
  const client = createClient(target);
  const account_id = target.accountId;
  const deviceIds = new Set<string>();
  for await (const d of client.zeroTrust.devices.devices.list({ account_id, per_page: 100 })) {
    if (d.serial_number?.toUpperCase() === serial.toUpperCase()) deviceIds.add(d.id);
  }
  const registrationIds: string[] = [];
  if (deviceIds.size > 0) {
    for await (const r of client.zeroTrust.devices.registrations.list({ account_id, per_page: 100 })) {
      if (r.device?.id && deviceIds.has(r.device.id) && !r.revoked_at) registrationIds.push(r.id);
    }
  }
  if (registrationIds.length > 0)
    await client.zeroTrust.devices.registrations.revoke({ account_id, id: registrationIds });
  return { sessionsRevoked: false, registrationIds };
}
