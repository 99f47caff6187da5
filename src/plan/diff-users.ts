import { DesiredDevice, DesiredState, DesiredUser } from "../model/desired";
import { diffPortal } from "./diff-portal";
import { Plan, PlanUser } from "./plan-types";

// Users and devices: who is added, restored, removed or expired, which devices move, and the sessions.

export const toPlanUser = (u: DesiredUser): PlanUser => ({
  email: u.email,
  name: u.name,
  expires: u.expires,
  devices: u.devices,
});

export const byEmail = (users: readonly DesiredUser[]) => new Map(users.map((u) => [u.email, u]));

export function daysBetween(fromDay: string, toDay: string): number {
  return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / 86_400_000);
}

export function diffUsers(before: DesiredState | undefined, now: DesiredState, plan: Plan) {
  const baseAll = byEmail(before?.users ?? []);
  const baseActive = byEmail(before?.activeUsers ?? []);
  const headAll = byEmail(now.users);
  const headActive = byEmail(now.activeUsers);
  plan.counts = {
    baseActive: baseActive.size,
    headActive: headActive.size,
    headDevices: now.activeUsers.reduce((n, u) => n + u.devices.length, 0),
  };
  plan.currentSessions = { appMinutes: now.sessions.appMinutes, warpMinutes: now.sessions.warpMinutes };

  for (const u of now.activeUsers) {
    if (baseActive.has(u.email)) continue;
    (baseAll.has(u.email) ? plan.restored : plan.added).push(toPlanUser(u));
  }
  for (const u of before?.activeUsers ?? []) {
    if (headActive.has(u.email)) continue;
    (headAll.has(u.email) ? plan.expiredSinceBase : plan.removed).push(toPlanUser(u));
  }

  // Devices of users who have access on both sides; a new or departing user's devices go with the user.
  const baseOwner = new Map<string, { user: DesiredUser; device: DesiredDevice }>();
  for (const user of before?.activeUsers ?? [])
    for (const device of user.devices) baseOwner.set(device.serial.toUpperCase(), { user, device });
  const headOwner = new Map<string, { user: DesiredUser; device: DesiredDevice }>();
  for (const user of now.activeUsers)
    for (const device of user.devices) headOwner.set(device.serial.toUpperCase(), { user, device });

  for (const [key, { user, device }] of headOwner) {
    const old = baseOwner.get(key);
    if (!old) {
      if (baseActive.has(user.email))
        plan.devices.push({ kind: "added", serial: device.serial, os: device.os, owner: user.email });
      continue;
    }
    if (old.user.email !== user.email) {
      plan.devices.push({
        kind: "moved",
        serial: device.serial,
        os: device.os,
        owner: user.email,
        from: old.user.email,
      });
      continue;
    }
    if (old.device.os !== device.os) {
      plan.devices.push({
        kind: "os-changed",
        serial: device.serial,
        os: device.os,
        fromOs: old.device.os,
        owner: user.email,
      });
    }
    if (old.device.serial !== device.serial) {
      plan.devices.push({
        kind: "respelled",
        serial: device.serial,
        os: device.os,
        fromSerial: old.device.serial,
        owner: user.email,
      });
    }
    if ((old.device.label ?? "") !== (device.label ?? "")) plan.cosmeticEdits++;
  }
  for (const [key, { user, device }] of baseOwner) {
    if (headOwner.has(key) || !headActive.has(user.email)) continue;
    plan.devices.push({ kind: "removed", serial: device.serial, os: device.os, owner: user.email });
  }

  for (const u of now.activeUsers) {
    const old = baseActive.get(u.email);
    if (!old) continue;
    if ((old.name ?? "") !== (u.name ?? "")) plan.cosmeticEdits++;
    if (old.expires !== u.expires)
      plan.expiryChanged.push({ email: u.email, from: old.expires, to: u.expires });
  }

  if (now.portal) plan.portal = diffPortal(before, now);

  if (before) {
    for (const which of ["app", "warp"] as const) {
      const from = before.sessions[`${which}Minutes`];
      const to = now.sessions[`${which}Minutes`];
      if (from !== to) plan.sessions.push({ which, fromMinutes: from, toMinutes: to });
    }
  }
}
