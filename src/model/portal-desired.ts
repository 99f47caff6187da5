import { UsersFile } from "../users/schema";
import { DEFAULT_TOKEN_DURATION, NO_DEVICES } from "../users/portal-schema";
import { chunk } from "./chunks";
import { AccessTest, DesiredAppAccess, DesiredGroup, DesiredServiceToken, PortalState } from "./portal";

// The portal part of DesiredState (docs/design-portal.md), from a file the schema and every rule
// accepted. Defaults are applied here, once: `devices` omitted = every allowed group that signs in with
// the identity provider (a one-time-PIN group is clientless, and posture needs the device client),
// `none` = nobody; a token's duration defaults to Cloudflare's one year.

export interface Located {
  /** Where the value at a data path is written. */
  of(path: readonly PropertyKey[]): { line: number; col: number };
  /** Where a mapping's key is written (a group name, an app key). */
  ofKey(path: readonly PropertyKey[], key: string): { line: number; col: number };
}

/** The users the portal needs: active ones with their groups. */
export interface PortalUser {
  email: string;
  expired: boolean;
  groups?: string[];
}

/** The groups that must pass the device check on an access entry as written. */
export function deviceGroups(
  allow: readonly string[],
  devices: string | readonly string[] | undefined,
  loginOf: (group: string) => string | undefined,
): string[] {
  if (devices === undefined) return allow.filter((g) => loginOf(g) === "idp");
  if (devices === NO_DEVICES) return [];
  return [...new Set(typeof devices === "string" ? [devices] : devices)];
}

export function portalStateFrom(
  file: Pick<UsersFile, "groups" | "access" | "serviceTokens" | "tests">,
  users: readonly PortalUser[],
  at: Located,
): PortalState | undefined {
  const { groups, access = {}, serviceTokens = [], tests = [] } = file;
  if (groups === undefined) return undefined;
  const active = users.filter((u) => !u.expired);

  const desiredGroups = Object.entries(groups).map(([name, { login }]): DesiredGroup => {
    const members = active
      .filter((u) => u.groups?.includes(name))
      .map((u) => u.email)
      .sort();
    return { name, login, members, emailChunks: chunk(members), ...at.ofKey(["groups"], name) };
  });

  const desiredAccess = Object.entries(access).map(([app, entry]): DesiredAppAccess => {
    const allow = [...new Set(entry.allow ?? [])];
    return {
      app,
      allow,
      devices: deviceGroups(allow, entry.devices, (g) => groups[g]?.login),
      serviceTokens: [...new Set(entry.serviceTokens ?? [])],
      ...at.ofKey(["access"], app),
    };
  });

  const tokens = serviceTokens.map((t, i): DesiredServiceToken => ({
    name: t.name,
    duration: t.duration ?? DEFAULT_TOKEN_DURATION,
    ...at.of(["serviceTokens", i]),
  }));

  const desiredTests = tests.map((t, i): AccessTest => {
    const where = { app: t.app, expect: t.expect, ...at.of(["tests", i]) };
    // The rules accept exactly one of user and serviceToken (and device/login only with a user).
    if (t.serviceToken !== undefined) return { ...where, serviceToken: t.serviceToken };
    return { ...where, user: (t.user ?? "").toLowerCase(), device: t.device, login: t.login };
  });

  return { groups: desiredGroups, access: desiredAccess, serviceTokens: tokens, tests: desiredTests };
}
