import { DeviceEntry, Os, OS_VALUES, Sessions, UserEntry, UsersFile } from "../users/schema";
import { chunk } from "./chunks";
import { PortalState } from "./portal";
import { Located, portalStateFrom } from "./portal-desired";
import { durationMinutes, formatDuration, SESSION_LIMITS } from "./sessions";

// DesiredState: the plain data every consumer reads (the Pulumi program, the PR plan, the zt commands).
// Nothing else re-reads users.yaml its own way. Its user and device types are the schema's (z.infer),
// plus what the model adds, so the model cannot hold a second, diverging definition of a user.

/** A device as written (serial, os: undefined = every OS, label), plus the line of its serial. */
export type DesiredDevice = DeviceEntry & { line: number };

/** A user as written (email lower-cased), plus whether `expires` has passed and where the entry is. */
export type DesiredUser = Omit<UserEntry, "devices"> & {
  /** True when `expires` is before the evaluation day: the user is left out of every list. */
  expired: boolean;
  devices: DesiredDevice[];
  line: number;
};

export interface DesiredState {
  sessions: { appMinutes: number; warpMinutes: number; app: string; warp: string };
  /** Every user in file order, expired ones included (for plans and reviews). */
  users: DesiredUser[];
  /** Users who get access today. */
  activeUsers: DesiredUser[];
  /** Active emails, sorted, split into lists of at most 1,000. */
  emailChunks: string[][];
  /** Per OS, the serials of active users' devices (a device without os counts for every OS), sorted and split. */
  serialsByOs: Record<Os, string[][]>;
  /** The day expiry was evaluated against, YYYY-MM-DD. */
  today: string;
  /** Groups, per-app access, service tokens and tests; undefined for a file without `groups:` (legacy). */
  portal?: PortalState;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `expires` is the last day of access (UTC): from the next day on the user is out. */
export const isExpired = (expires: string | undefined, today: string) =>
  expires !== undefined && expires < today;

/**
 * Takes what destructuring left over after naming every field it maps: it must be empty, so a field
 * added to the schema and not mapped below fails the typecheck instead of being silently dropped.
 */
export function allFieldsMapped(rest: Record<string, never>): void {
  void rest;
}

/** The model of a file the schema and every rule accepted. `at` gives where a data path is written. */
export function desiredStateFrom(file: UsersFile, at: Located, today: string): DesiredState {
  const lineOf = (path: readonly PropertyKey[]) => at.of(path).line;
  const { sessions: written, users: entries, groups, access, serviceTokens, tests, ...restOfFile } = file;
  allFieldsMapped(restOfFile);
  const sessions: Sessions = written ?? {};
  const {
    app = SESSION_LIMITS.app.default,
    warp = SESSION_LIMITS.warp.default,
    ...restOfSessions
  } = sessions;
  allFieldsMapped(restOfSessions);
  const [appMinutes, warpMinutes] = [durationMinutes(app), durationMinutes(warp)];

  const users = entries.map((entry, i): DesiredUser => {
    const { email, name, expires, devices = [], groups: memberOf, ...restOfUser } = entry;
    allFieldsMapped(restOfUser);
    return {
      email: email.toLowerCase(),
      name,
      expires,
      groups: memberOf && [...new Set(memberOf)],
      expired: isExpired(expires, today),
      devices: devices.map((device, j): DesiredDevice => {
        const { serial, os, label, ...restOfDevice } = device;
        allFieldsMapped(restOfDevice);
        return { serial, os, label, line: lineOf(["users", i, "devices", j, "serial"]) };
      }),
      line: lineOf(["users", i]),
    };
  });
  const session = {
    appMinutes,
    warpMinutes,
    app: formatDuration(appMinutes),
    warp: formatDuration(warpMinutes),
  };
  const state = buildDesiredState(users, session, today);
  const portal = portalStateFrom({ groups, access, serviceTokens, tests }, users, at);
  return portal ? { ...state, portal } : state;
}

export function buildDesiredState(
  users: DesiredUser[],
  sessions: DesiredState["sessions"],
  today: string,
): DesiredState {
  const activeUsers = users.filter((u) => !u.expired);
  const emails = activeUsers.map((u) => u.email).sort();
  const serialsByOs = {} as Record<Os, string[][]>;
  for (const os of OS_VALUES) {
    const serials = activeUsers.flatMap((u) =>
      u.devices.filter((d) => d.os === undefined || d.os === os).map((d) => d.serial),
    );
    serialsByOs[os] = chunk([...new Set(serials)].sort());
  }
  return { sessions, users, activeUsers, emailChunks: chunk(emails), serialsByOs, today };
}

/** Counts for the one-line summary and stack outputs. */
export function summarize(state: DesiredState) {
  const devices = state.activeUsers.flatMap((u) => u.devices);
  const perOs: Record<string, number> = { macos: 0, windows: 0, linux: 0, any: 0 };
  for (const d of devices) perOs[d.os ?? "any"]++;
  return {
    users: state.users.length,
    activeUsers: state.activeUsers.length,
    expiredUsers: state.users.length - state.activeUsers.length,
    devices: devices.length,
    perOs,
    usersWithoutDevice: state.activeUsers.filter((u) => u.devices.length === 0).map((u) => u.email),
  };
}
