import { StackConfig } from "../config/schema";
import { serialLists } from "../model/access";
import { DesiredDevice, DesiredState, DesiredUser } from "../model/desired";
import { Os, OS_VALUES } from "../users/schema";
import { DEFAULT_MAX_REMOVAL_SHARE, lockoutRefusals, Refusal, removalRefusals } from "./guards";
import { PlanSide } from "./inputs";

// What a change to users.yaml and the stack config means for people, computed from the two parsed sides.
// Pure: no Git, no files, no engine. The Markdown renderer (markdown.ts) turns a Plan into the PR comment.

export const EXPIRY_WARNING_DAYS = 14;

export interface PlanOptions {
  stack: string;
  /** Given explicitly (flag, or environment set from a PR label). */
  allowMassRemoval: boolean;
}

export interface PlanUser {
  email: string;
  name?: string;
  expires?: string;
  devices: DesiredDevice[];
}

export interface DeviceChange {
  kind: "added" | "removed" | "moved" | "os-changed" | "respelled";
  serial: string;
  os?: Os;
  /** Owner after the change (before it, for "removed"). */
  owner: string;
  /** moved: the previous owner. */
  from?: string;
  /** os-changed: the previous os (undefined: any OS). */
  fromOs?: Os;
  /** respelled: the serial as written before (same device, different letter case). */
  fromSerial?: string;
}

export interface SessionChange {
  which: "app" | "warp";
  fromMinutes: number;
  toMinutes: number;
}

export interface ConfigChange {
  setting: string;
  from?: string;
  to?: string;
  effect: string;
  /** The change is destructive enough to lead the comment. */
  critical?: boolean;
}

/** People who must do something after the apply, and why. */
export interface Reconnect {
  reason: string;
  /** Emails, or every active user. */
  who: "everyone" | string[];
}

export interface Plan {
  stack: string;
  base: {
    label: string;
    usersFile: string;
    stackFile: string;
    users: "missing" | "invalid" | "ok";
    config: "missing" | "invalid" | "ok";
  };
  head: { label: string; usersFile: string; stackFile: string };
  /** Users who get access and had none at base (not in the base file). */
  added: PlanUser[];
  /** Users in the base file whose access had ended and who get it again (expires moved). */
  restored: PlanUser[];
  /** Users whose entry is deleted: sessions and device registrations revoked on apply. */
  removed: PlanUser[];
  /** Still in the file, active at base, past their `expires` now: revoked on apply. */
  expiredSinceBase: PlanUser[];
  /** Kept users whose last day of access moved. */
  expiryChanged: { email: string; from?: string; to?: string }[];
  devices: DeviceChange[];
  /** Names and labels edited: no effect on access. */
  cosmeticEdits: number;
  sessions: SessionChange[];
  /** The sessions after the change (absent when users.yaml is invalid). */
  currentSessions?: { appMinutes: number; warpMinutes: number };
  config: ConfigChange[];
  /** The stack file does not exist at base: a first deployment. */
  configNew: boolean;
  expiringSoon: (PlanUser & { expires: string; daysLeft: number })[];
  withoutDevice: PlanUser[];
  reconnect: Reconnect[];
  /** Everyone must log in to WARP again (team name changed). */
  reEnrol?: { from: string; to: string };
  refusals: Refusal[];
  notes: string[];
  counts: { baseActive: number; headActive: number; headDevices: number };
  teamName?: string;
  today: string;
}

const toPlanUser = (u: DesiredUser): PlanUser => ({
  email: u.email,
  name: u.name,
  expires: u.expires,
  devices: u.devices,
});

const byEmail = (users: readonly DesiredUser[]) => new Map(users.map((u) => [u.email, u]));

function daysBetween(fromDay: string, toDay: string): number {
  return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / 86_400_000);
}

export function diffPlan(base: PlanSide, head: PlanSide, opts: PlanOptions): Plan {
  const plan: Plan = {
    stack: opts.stack,
    base: {
      label: base.label,
      usersFile: base.usersFile,
      stackFile: base.stackFile,
      users: base.users.kind,
      config: base.config.kind,
    },
    head: { label: head.label, usersFile: head.usersFile, stackFile: head.stackFile },
    added: [],
    restored: [],
    removed: [],
    expiredSinceBase: [],
    expiryChanged: [],
    devices: [],
    cosmeticEdits: 0,
    sessions: [],
    config: [],
    configNew: false,
    expiringSoon: [],
    withoutDevice: [],
    reconnect: [],
    refusals: [],
    notes: [],
    counts: { baseActive: 0, headActive: 0, headDevices: 0 },
    today: head.day,
  };

  // Refusals that come from the inputs themselves.
  if (head.users.kind === "missing") {
    plan.refusals.push({
      code: "invalid-users",
      message: `${head.usersFile} does not exist in this change: with no users file nobody could sign in.`,
      overridden: false,
    });
  } else if (head.users.kind === "invalid") {
    plan.refusals.push({
      code: "invalid-users",
      message: `${head.usersFile} does not validate:`,
      problems: head.users.problems,
      overridden: false,
    });
  }
  if (head.config.kind === "missing") {
    plan.refusals.push({
      code: "missing-config",
      message: `${head.stackFile} does not exist in this change: the stack has no configuration.`,
      overridden: false,
    });
  } else if (head.config.kind === "invalid") {
    plan.refusals.push({
      code: "invalid-config",
      message: `${head.stackFile} does not validate:`,
      problems: head.config.problems,
      overridden: false,
    });
  }
  if (base.users.kind === "missing") {
    plan.notes.push(`${base.usersFile} does not exist at ${base.label}: every user is new.`);
  } else if (base.users.kind === "invalid") {
    plan.notes.push(
      `${base.usersFile} at ${base.label} does not validate, so it cannot be compared: every user is listed as added and the removal guard is not evaluated.`,
    );
  }
  if (base.config.kind === "invalid") {
    plan.notes.push(
      `${base.stackFile} at ${base.label} does not validate, so stack settings are not compared.`,
    );
  }

  const baseConfig = base.config.kind === "ok" ? base.config.config : undefined;
  const headConfig = head.config.kind === "ok" ? head.config.config : undefined;
  plan.teamName = headConfig?.teamName;
  if (head.config.kind === "ok") {
    if (base.config.kind === "missing") plan.configNew = true;
    else if (baseConfig) diffConfig(baseConfig, head.config.config, plan);
  }

  if (head.users.kind !== "ok") return plan;
  const now = head.users.state;
  const before: DesiredState | undefined = base.users.kind === "ok" ? base.users.state : undefined;
  diffUsers(before, now, plan);

  // The stricter of the two limits: a change that raises the limit and uses it at once is still refused.
  const limits = [baseConfig, headConfig]
    .filter((c): c is StackConfig => c !== undefined)
    .map((c) => c.guards.maxRemovalShare);
  const maxShare = limits.length ? Math.min(...limits) : DEFAULT_MAX_REMOVAL_SHARE;
  plan.refusals.push(...lockoutRefusals(now));
  if (before) {
    plan.refusals.push(
      ...removalRefusals({
        before: before.activeUsers.length,
        removed: plan.removed.map((u) => u.email),
        maxShare,
        allowMassRemoval: opts.allowMassRemoval,
      }),
    );
  }
  return plan;
}

function diffUsers(before: DesiredState | undefined, now: DesiredState, plan: Plan) {
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

  if (before) {
    for (const which of ["app", "warp"] as const) {
      const from = before.sessions[`${which}Minutes`];
      const to = now.sessions[`${which}Minutes`];
      if (from !== to) plan.sessions.push({ which, fromMinutes: from, toMinutes: to });
    }
  }
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

  for (const u of now.activeUsers) {
    if (u.expires !== undefined) {
      const daysLeft = daysBetween(now.today, u.expires);
      if (daysLeft <= EXPIRY_WARNING_DAYS)
        plan.expiringSoon.push({ ...toPlanUser(u), expires: u.expires, daysLeft });
    }
    if (u.devices.length === 0) plan.withoutDevice.push(toPlanUser(u));
  }
  plan.expiringSoon.sort((a, b) => a.daysLeft - b.daysLeft || a.email.localeCompare(b.email));
}

// Stack settings: each difference with what it means for users, in the runbook's words.
function diffConfig(a: StackConfig, b: StackConfig, plan: Plan) {
  const show = (v: unknown) => (v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v));
  const push = (setting: string, from: unknown, to: unknown, effect: string, critical = false) => {
    if (JSON.stringify(from) === JSON.stringify(to)) return;
    plan.config.push({ setting, from: show(from), to: show(to), effect, ...(critical ? { critical } : {}) });
  };

  push(
    "accountId",
    a.accountId,
    b.accountId,
    "Everything moves to another Cloudflare account: every resource is deleted here and created there; everyone signs in and enrols WARP again.",
    true,
  );
  push(
    "zoneId",
    a.zoneId,
    b.zoneId,
    "The public hostnames' DNS records move to another zone (deleted and created).",
    true,
  );
  if (a.teamName !== b.teamName) {
    push(
      "teamName",
      a.teamName,
      b.teamName,
      "The team name changes: every user must log in to WARP again with the new team name (WARP → Preferences → Account → Login with Cloudflare Zero Trust).",
      true,
    );
    plan.reEnrol = { from: a.teamName, to: b.teamName };
  }
  push("tunnelName", a.tunnelName, b.tunnelName, "The tunnel is renamed (Networks → Tunnels).");
  push("usersFile", a.usersFile, b.usersFile, "The stack reads its users from another file.");

  const appsA = new Map(a.apps.map((x) => [x.hostname, x]));
  const appsB = new Map(b.apps.map((x) => [x.hostname, x]));
  for (const [host, app] of appsB) {
    const old = appsA.get(host);
    if (!old)
      push(
        `apps[${host}]`,
        undefined,
        `${app.name} → ${app.service}`,
        `New application ${app.name} at https://${host}: routed through the tunnel and open to the same users and devices.`,
      );
    else {
      push(`apps[${host}].name`, old.name, app.name, "The name shown in the App Launcher changes.");
      push(
        `apps[${host}].service`,
        old.service,
        app.service,
        `The tunnel sends https://${host} to another local service.`,
      );
    }
  }
  for (const [host, app] of appsA) {
    if (!appsB.has(host)) {
      push(
        `apps[${host}]`,
        `${app.name} → ${app.service}`,
        undefined,
        `Application ${app.name} is deleted: https://${host} is no longer routed or protected by Access, and everyone signed in to it loses it.`,
        true,
      );
    }
  }

  const pa = a.privateNetwork;
  const pb = b.privateNetwork;
  const reconnectAll = (reason: string) => {
    if (!plan.reconnect.some((r) => r.reason === reason)) plan.reconnect.push({ reason, who: "everyone" });
  };
  if (pa.cidr !== pb.cidr) {
    push(
      "privateNetwork.cidr",
      pa.cidr,
      pb.cidr,
      "The private network route and the Split Tunnels exclude list change: users must disconnect and reconnect WARP.",
    );
    reconnectAll("the Split Tunnels list changes");
  }
  if (pa.internalDomain !== pb.internalDomain || pa.dnsmasqAddress !== pb.dnsmasqAddress) {
    push(
      "privateNetwork.internalDomain",
      pa.internalDomain,
      pb.internalDomain,
      "Local Domain Fallback changes: users must disconnect and reconnect WARP.",
    );
    push(
      "privateNetwork.dnsmasqAddress",
      pa.dnsmasqAddress,
      pb.dnsmasqAddress,
      "Local Domain Fallback sends the internal domain to another DNS server: users must disconnect and reconnect WARP.",
    );
    reconnectAll("Local Domain Fallback changes");
  }
  push(
    "privateNetwork.hosts",
    pa.hosts,
    pb.hosts,
    "dnsmasq answers different internal names (server side; no WARP reconnect).",
  );

  const ca = a.connector;
  const cb = b.connector;
  push(
    "connector.enabled",
    ca.enabled,
    cb.enabled,
    cb.enabled
      ? "Pulumi starts cloudflared and dnsmasq on the Docker host."
      : "Pulumi stops managing the cloudflared and dnsmasq containers (they are removed from the Docker host).",
    !cb.enabled,
  );
  for (const key of ["dockerHost", "replicas", "network", "cloudflaredImage", "dnsmasqImage"] as const) {
    push(
      `connector.${key}`,
      ca[key],
      cb[key],
      "The containers on the Docker host are recreated (replicas give failover, so keep at least two).",
    );
  }
  push(
    "logpush",
    a.logpush,
    b.logpush,
    b.logpush
      ? "Logpush jobs for Access and Gateway logs are created or changed."
      : "Logpush stops: Access and Gateway logs are kept only as long as the dashboard retains them (up to 6 months).",
  );
  push(
    "guards.maxRemovalShare",
    a.guards.maxRemovalShare,
    b.guards.maxRemovalShare,
    "The removal guard changes; this plan applies the stricter of the two values.",
  );
}
