import { Users } from "../context";
import { Loose, NamedList } from "../inventory";
import { POSTURE_PLATFORM } from "../../model/access";
import { DesiredDevice, DesiredUser } from "../../model/desired";
import { Os, OS_VALUES } from "../../users/schema";
import { CheckResult, fail, few, Focus, Inventory, pass, plural, skip } from "./types";

// The people half of the checklist: a user in the email lists, devices in the serial lists.

function listsHolding(lists: readonly NamedList[], email: string): NamedList[] {
  return lists.filter((l) => l.values.some((v) => v.toLowerCase() === email));
}

/** The person's entry in users.yaml, or the failing check saying they are not there or have expired. */
export function activeUser(
  email: string,
  users: Users,
  title: string,
  what: string,
): DesiredUser | CheckResult {
  const user = users.state.users.find((u) => u.email === email);
  if (!user)
    return fail(
      title,
      `not in ${users.name}`,
      `add them ${what} to ${users.name}, open a pull request and merge it`,
    );
  if (user.expired)
    return fail(
      title,
      `expired on ${user.expires} (${users.name} line ${user.line})`,
      `extend expires at ${users.name} line ${user.line} if they still need access`,
    );
  return user;
}

export function userCheck(email: string, users: Users, inv: Inventory, apply: string): CheckResult {
  const title = `User ${email}`;
  const user = activeUser(email, users, title, "(email and device serial)");
  if ("status" in user) return user;
  const holding = listsHolding(inv.emailLists, email);
  if (holding.length === 0)
    return fail(
      title,
      `in ${users.name} (line ${user.line}) but not in any Access email list`,
      `apply ${users.name}: ${apply}`,
    );
  return pass(title, `in ${users.name} (line ${user.line}) and in "${holding[0].name}"`);
}

export function emailListsCheck(users: Users, inv: Inventory, apply: string): CheckResult {
  const title = "Email lists";
  const expected = new Set(users.state.activeUsers.map((u) => u.email));
  const actual = new Set(inv.emailLists.flatMap((l) => l.values.map((v) => v.toLowerCase())));
  const missing = [...expected].filter((e) => !actual.has(e)).sort();
  const extra = [...actual].filter((e) => !expected.has(e)).sort();
  const problems: string[] = [];
  if (inv.emailLists.length === 0) problems.push("no zt-gitops email list exists");
  else if (missing.length) problems.push(`missing ${few(missing)} (cannot sign in)`);
  if (extra.length)
    problems.push(
      `${few(extra)} can sign in but ${extra.length === 1 ? "is" : "are"} not active in ${users.name}`,
    );
  if (problems.length)
    return fail(title, problems.join("; "), `apply ${users.name}: ${apply} (it also revokes removed users)`);
  return pass(
    title,
    `all ${plural(expected.size, "active user")} of ${users.name} are in ${inv.emailLists.map((l) => `"${l.name}"`).join(", ")}`,
  );
}

export interface OwnedDevice {
  user: DesiredUser;
  device: DesiredDevice;
}

/** Where a serial must be: one OS, or every OS for a device written without `os`. */
export function serialProblems(
  serial: string,
  os: Os | undefined,
  inv: Inventory,
): { missing: string[]; found: string[] } {
  const missing: string[] = [];
  const found: string[] = [];
  for (const want of os ? [os] : OS_VALUES) {
    const rules = inv.posture.filter((r) => r.os === want);
    const hit = rules.find(
      (r) =>
        r.list?.values.includes(serial) &&
        (r.rule.match ?? []).some((m: Loose) => m.platform === POSTURE_PLATFORM[want]),
    );
    if (hit) found.push(`"${hit.list!.name}"`);
    else
      missing.push(rules.length === 0 ? `no ${want} serial rule exists` : `not in the ${want} serial list`);
  }
  return { missing, found };
}

export function deviceCheck(focus: Focus, users: Users, inv: Inventory, apply: string): CheckResult {
  const all: OwnedDevice[] = users.state.users.flatMap((user) =>
    user.devices.map((device) => ({ user, device })),
  );
  const fixApply = `apply ${users.name}: ${apply} (dashboard: Settings > WARP Client > Device posture)`;
  if (focus.serial || focus.email) {
    let targets: OwnedDevice[];
    let title: string;
    if (focus.serial) {
      const serial = focus.serial;
      title = `Device ${serial}`;
      const owned =
        all.find((d) => d.device.serial === serial) ??
        all.find((d) => d.device.serial.toUpperCase() === serial.toUpperCase());
      if (!owned)
        return fail(
          title,
          `not in ${users.name}`,
          `add it under its owner's devices in ${users.name} and merge`,
        );
      if (owned.device.serial !== serial)
        return fail(
          title,
          `${users.name} line ${owned.device.line} writes it ${owned.device.serial}: serials are matched exactly`,
          `write the serial exactly as the device reports it`,
        );
      if (focus.email && owned.user.email !== focus.email.toLowerCase()) {
        return fail(
          title,
          `belongs to ${owned.user.email} (${users.name} line ${owned.device.line}), not ${focus.email}`,
          "sign in with the owner's email, or move the device in users.yaml",
        );
      }
      targets = [owned];
    } else {
      const email = focus.email!.toLowerCase();
      title = `Devices of ${email}`;
      const user = users.state.users.find((u) => u.email === email);
      if (!user)
        return skip(
          title,
          `${email} is not in ${users.name}`,
          `add them with their device serial to ${users.name}`,
        );
      if (user.devices.length === 0)
        return fail(
          title,
          `none in ${users.name} (line ${user.line}): they cannot pass the device check`,
          `add their serial under devices (${users.name} line ${user.line})`,
        );
      targets = user.devices.map((device) => ({ user, device }));
    }
    const expired = targets.find((t) => t.user.expired);
    if (expired)
      return fail(
        title,
        `owner ${expired.user.email} expired on ${expired.user.expires}, so the serial is left out`,
        `extend expires at ${users.name} line ${expired.user.line}`,
      );
    const problems: string[] = [];
    const found: string[] = [];
    for (const t of targets) {
      const r = serialProblems(t.device.serial, t.device.os, inv);
      if (r.missing.length)
        problems.push(`${t.device.serial} (${t.device.os ?? "any OS"}): ${r.missing.join(", ")}`);
      else found.push(`${t.device.serial} in ${r.found.join(", ")}`);
    }
    if (problems.length) return fail(title, problems.join("; "), fixApply);
    return pass(title, found.join("; "));
  }

  const title = "Device serials";
  const problems: string[] = [];
  const active = all.filter((d) => !d.user.expired);
  const missing: string[] = [];
  for (const d of active)
    if (serialProblems(d.device.serial, d.device.os, inv).missing.length) missing.push(d.device.serial);
  if (missing.length) problems.push(`missing ${few(missing)}`);
  const expected = new Set(active.map((d) => d.device.serial));
  const extra = [...new Set(inv.posture.flatMap((r) => r.list?.values ?? []))]
    .filter((s) => !expected.has(s))
    .sort();
  if (extra.length)
    problems.push(
      `${few(extra)} still pass${extra.length === 1 ? "es" : ""} the device check but ${extra.length === 1 ? "is" : "are"} not active in ${users.name}`,
    );
  const broken = inv.posture.filter(
    (r) => !r.list || !(r.rule.match ?? []).some((m: Loose) => m.platform === POSTURE_PLATFORM[r.os]),
  );
  if (broken.length)
    problems.push(
      `${broken.map((r) => `"${r.rule.name}"`).join(", ")} ${broken.length === 1 ? "reads no serial list or the wrong platform" : "read no serial list or the wrong platform"}`,
    );
  if (problems.length) return fail(title, problems.join("; "), fixApply);
  return pass(
    title,
    `all ${plural(active.length, "device")} of active users are in the serial list of their OS`,
  );
}
