import { serialLists } from "../model/access";
import { DesiredState } from "../model/desired";
import { OS_VALUES } from "../users/schema";
import { byEmail, daysBetween, toPlanUser } from "./diff-users";
import { EXPIRY_WARNING_DAYS, Plan } from "./plan-types";

// Facts about the state after the change: who must reconnect WARP, whose access ends soon, who has no device.

export function afterChangeFacts(before: DesiredState | undefined, now: DesiredState, plan: Plan): void {
  const baseActive = byEmail(before?.activeUsers ?? []);
  if (plan.sessions.some((s) => s.which === "warp")) {
    plan.reconnect.push({ reason: "the WARP session length changes", who: "everyone" });
  }

  // A new or retired per-OS posture rule: WARP clients pick up posture rule changes only on reconnect.
  if (before) {
    const rules = (s: DesiredState) => new Set(serialLists(s).map((l) => l.key));
    const was = rules(before);
    const is = rules(now);
    const changedOs = OS_VALUES.filter((os) =>
      [...was, ...is].some((k) => k.startsWith(`${os}-`) && was.has(k) !== is.has(k)),
    );
    if (changedOs.length > 0) {
      // Already-enrolled devices on those platforms (an os-less serial is checked on every platform).
      const who = now.activeUsers
        .filter(
          (u) =>
            baseActive.has(u.email) && u.devices.some((d) => d.os === undefined || changedOs.includes(d.os)),
        )
        .map((u) => u.email);
      if (who.length > 0)
        plan.reconnect.push({
          reason: `the device posture rules for ${changedOs.join(", ")} devices change`,
          who,
        });
    }
  }

  // Portal mode: only the groups some app checks devices for need one; the others sign in clientless.
  const deviceGroups = now.portal && new Set(now.portal.access.flatMap((a) => a.devices));
  const needsDevice = (groups: readonly string[] | undefined) =>
    !deviceGroups || (groups ?? []).some((g) => deviceGroups.has(g));
  if (deviceGroups)
    plan.clientless = now.activeUsers.filter((u) => !needsDevice(u.groups)).map((u) => u.email);

  for (const u of now.activeUsers) {
    if (u.expires !== undefined) {
      const daysLeft = daysBetween(now.today, u.expires);
      if (daysLeft <= EXPIRY_WARNING_DAYS)
        plan.expiringSoon.push({ ...toPlanUser(u), expires: u.expires, daysLeft });
    }
    if (u.devices.length === 0 && needsDevice(u.groups)) plan.withoutDevice.push(toPlanUser(u));
  }
  plan.expiringSoon.sort((a, b) => a.daysLeft - b.daysLeft || a.email.localeCompare(b.email));
}
