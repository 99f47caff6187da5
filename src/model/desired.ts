import { Os, OS_VALUES } from "../users/schema";
import { chunk } from "./chunks";

// DesiredState: the plain data every consumer reads (the Pulumi program, the PR plan, the zt commands).
// Nothing else re-reads users.yaml its own way.

export interface DesiredDevice {
  serial: string;
  /** undefined means the serial is accepted on every OS. */
  os?: Os;
  label?: string;
  line: number;
}

export interface DesiredUser {
  /** Lower-case. */
  email: string;
  name?: string;
  /** YYYY-MM-DD, last day of access (UTC). */
  expires?: string;
  /** True when `expires` is before the evaluation day: the user is left out of every list. */
  expired: boolean;
  devices: DesiredDevice[];
  line: number;
}

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
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
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
