// The lockout rule, in one place: a state where the application would admit nobody locks the admin
// out as well. `npm run validate` reports it at the users list, the PR plan and apply refuse it (never
// overridable), and the Pulumi program refuses it before declaring anything.

export interface LockoutUser {
  expired: boolean;
  devices: readonly unknown[];
}

export type Lockout = { kind: "no-users" | "all-expired" | "no-device"; message: string };

export function lockout(users: readonly LockoutUser[], today: string): Lockout | undefined {
  if (users.length === 0) {
    return {
      kind: "no-users",
      message: "users is empty: with no user nobody could sign in, which would lock everyone out",
    };
  }
  const active = users.filter((u) => !u.expired);
  if (active.length === 0) {
    return {
      kind: "all-expired",
      message: `every user has expired (today is ${today}): nobody could sign in; extend an expires date or add a user`,
    };
  }
  if (!active.some((u) => u.devices.length > 0)) {
    return {
      kind: "no-device",
      message:
        "no active user has a registered device: nobody could pass the device check, so the application would admit nobody; " +
        "add a device to at least one user, e.g. `devices: [{ serial: C02XL0GHJGH5, os: macos }]`",
    };
  }
  return undefined;
}
