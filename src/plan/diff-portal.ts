import { LOGIN_WORDS } from "../model/access-tests";
import { DesiredState } from "../model/desired";
import { DesiredAppAccess, LoginMethod, PortalState } from "../model/portal";

// Several audiences in the plan (issue 17, item 3): who joins or leaves a group and what that opens or
// closes, what changes on each application, and which service tokens gain or lose an app, each in the
// admin's words ("jo@acme.example joins acme: can now reach client-acme and portal (one-time PIN)").

export type PortalChange =
  | { kind: "joins" | "leaves"; email: string; group: string; login: LoginMethod; apps: string[] }
  | { kind: "group-added" | "group-removed"; group: string; login: LoginMethod }
  | { kind: "login-changed"; group: string; from: LoginMethod; to: LoginMethod }
  | { kind: "app-added" | "app-removed"; app: string; allow: string[]; devices: string[]; tokens: string[] }
  | { kind: "allow-added" | "allow-removed"; app: string; group: string }
  | { kind: "device-required" | "device-dropped"; app: string; group: string }
  | { kind: "token-reaches" | "token-loses"; token: string; app: string }
  | { kind: "token-added" | "token-removed"; token: string; duration: string; apps: string[] }
  | { kind: "token-duration"; token: string; from: string; to: string };

const EMPTY: PortalState = { groups: [], access: [], serviceTokens: [], tests: [] };

/** Apps that allow a group, sorted. */
const appsOf = (p: PortalState, group: string) =>
  p.access
    .filter((a) => a.allow.includes(group))
    .map((a) => a.app)
    .sort();
const tokenApps = (p: PortalState, token: string) =>
  p.access
    .filter((a) => a.serviceTokens.includes(token))
    .map((a) => a.app)
    .sort();

export function diffPortal(before: DesiredState | undefined, now: DesiredState): PortalChange[] {
  if (!now.portal) return [];
  const head = now.portal;
  const base = before?.portal ?? EMPTY;
  const out: PortalChange[] = [];

  const baseGroups = new Map(base.groups.map((g) => [g.name, g]));
  const headGroups = new Map(head.groups.map((g) => [g.name, g]));
  for (const g of head.groups) {
    const old = baseGroups.get(g.name);
    if (!old) out.push({ kind: "group-added", group: g.name, login: g.login });
    else if (old.login !== g.login)
      out.push({ kind: "login-changed", group: g.name, from: old.login, to: g.login });
  }
  for (const g of base.groups)
    if (!headGroups.has(g.name)) out.push({ kind: "group-removed", group: g.name, login: g.login });

  // Memberships of active users: a new user joining acme is news too; a removed user is in the users table.
  const wasIn = new Map(
    (before?.activeUsers ?? []).map((u) => [u.email, new Set(before?.portal ? u.groups : [])]),
  );
  for (const u of now.activeUsers) {
    const old = wasIn.get(u.email) ?? new Set<string>();
    for (const g of u.groups ?? [])
      if (!old.has(g))
        out.push({
          kind: "joins",
          email: u.email,
          group: g,
          login: headGroups.get(g)!.login,
          apps: appsOf(head, g),
        });
    for (const g of old)
      if (!(u.groups ?? []).includes(g) && baseGroups.has(g))
        out.push({
          kind: "leaves",
          email: u.email,
          group: g,
          login: baseGroups.get(g)!.login,
          apps: appsOf(base, g),
        });
  }

  const baseApps = new Map(base.access.map((a) => [a.app, a]));
  const headApps = new Map(head.access.map((a) => [a.app, a]));
  for (const a of head.access) {
    const old = baseApps.get(a.app);
    if (!old) out.push(appChange("app-added", a));
    else out.push(...entryChanges(old, a));
  }
  for (const a of base.access) if (!headApps.has(a.app)) out.push(appChange("app-removed", a));

  const baseTokens = new Map(base.serviceTokens.map((t) => [t.name, t]));
  const headTokens = new Map(head.serviceTokens.map((t) => [t.name, t]));
  for (const t of head.serviceTokens) {
    const old = baseTokens.get(t.name);
    if (!old)
      out.push({ kind: "token-added", token: t.name, duration: t.duration, apps: tokenApps(head, t.name) });
    else if (old.duration !== t.duration)
      out.push({ kind: "token-duration", token: t.name, from: old.duration, to: t.duration });
  }
  for (const t of base.serviceTokens)
    if (!headTokens.has(t.name))
      out.push({ kind: "token-removed", token: t.name, duration: t.duration, apps: tokenApps(base, t.name) });
  return out;
}

function appChange(kind: "app-added" | "app-removed", a: DesiredAppAccess): PortalChange {
  return { kind, app: a.app, allow: a.allow, devices: a.devices, tokens: a.serviceTokens };
}

function entryChanges(old: DesiredAppAccess, now: DesiredAppAccess): PortalChange[] {
  const out: PortalChange[] = [];
  const added = (a: readonly string[], b: readonly string[]) => b.filter((x) => !a.includes(x));
  for (const group of added(old.allow, now.allow)) out.push({ kind: "allow-added", app: now.app, group });
  for (const group of added(now.allow, old.allow)) out.push({ kind: "allow-removed", app: now.app, group });
  // Device changes only for groups allowed on both sides: a new group's device rule is part of its arrival.
  const kept = now.allow.filter((g) => old.allow.includes(g));
  for (const group of kept) {
    const was = old.devices.includes(group);
    const is = now.devices.includes(group);
    if (was !== is) out.push({ kind: is ? "device-required" : "device-dropped", app: now.app, group });
  }
  for (const token of added(old.serviceTokens, now.serviceTokens))
    out.push({ kind: "token-reaches", token, app: now.app });
  for (const token of added(now.serviceTokens, old.serviceTokens))
    out.push({ kind: "token-loses", token, app: now.app });
  return out;
}

/** "a", "a and b", "a, b and c" */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The change in the admin's words; `name` formats a name (the Markdown comment puts them in code). */
export function portalChangeWords(c: PortalChange, name: (s: string) => string = (s) => s): string {
  const apps = (xs: readonly string[]) => andList(xs.map(name));
  switch (c.kind) {
    case "joins":
      return c.apps.length
        ? `${name(c.email)} joins ${name(c.group)}: can now reach ${apps(c.apps)} (${LOGIN_WORDS[c.login]})`
        : `${name(c.email)} joins ${name(c.group)}`;
    case "leaves":
      return c.apps.length
        ? `${name(c.email)} leaves ${name(c.group)}: can no longer reach ${apps(c.apps)} through it`
        : `${name(c.email)} leaves ${name(c.group)}`;
    case "group-added":
      return `new group ${name(c.group)}, signing in with ${LOGIN_WORDS[c.login]}`;
    case "group-removed":
      return `group ${name(c.group)} is deleted: its members lose what it gave them`;
    case "login-changed":
      return `${name(c.group)} now signs in with ${LOGIN_WORDS[c.to]} instead of ${LOGIN_WORDS[c.from]}`;
    case "app-added": {
      const who = [...c.allow.map(name), ...c.tokens.map((t) => `service token ${name(t)}`)];
      const device = c.devices.length ? `; device check for ${apps(c.devices)}` : "; no device check";
      return `${name(c.app)} is open to ${andList(who) || "nobody"}${device}`;
    }
    case "app-removed":
      return `${name(c.app)} loses its access entry: ${andList([...c.allow, ...c.tokens].map(name)) || "nobody"} can no longer reach it`;
    case "allow-added":
      return `${name(c.group)} can now reach ${name(c.app)}`;
    case "allow-removed":
      return `${name(c.group)} can no longer reach ${name(c.app)}`;
    case "device-required":
      return `${name(c.group)} must now pass the device check on ${name(c.app)}`;
    case "device-dropped":
      return `${name(c.group)} no longer needs a registered device on ${name(c.app)}`;
    case "token-reaches":
      return `${name(c.token)} can now reach ${name(c.app)}`;
    case "token-loses":
      return `${name(c.token)} can no longer reach ${name(c.app)}`;
    case "token-added":
      return (
        `new service token ${name(c.token)} (valid ${c.duration})` +
        (c.apps.length ? `: can reach ${apps(c.apps)}` : "") +
        "; its client id and secret are secret stack outputs, never shown here"
      );
    case "token-removed":
      return `service token ${name(c.token)} is deleted: ${c.apps.length ? `${apps(c.apps)} no longer accept${c.apps.length === 1 ? "s" : ""} it` : "nothing accepted it"}`;
    case "token-duration":
      return `${name(c.token)}'s duration changes from ${c.from} to ${c.to}`;
  }
}
