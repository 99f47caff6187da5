import { DesiredState } from "./desired";

// Who currently holds access, as one ledger: email -> device serials. Reconciliation compares the ledger
// deployed last time with the one declared now; whatever disappeared is revoked. Pure, so the dynamic
// provider, the PR plan and tests all compute revocations the same way.

export type Grants = Record<string, string[]>;

export interface Revocations {
  /** Users whose sessions and WARP registrations are revoked. */
  users: string[];
  /** Device serials whose WARP registrations are revoked. */
  devices: string[];
}

export function grantsOf(state: DesiredState): Grants {
  const grants: Grants = {};
  for (const u of [...state.activeUsers].sort((a, b) => a.email.localeCompare(b.email))) {
    grants[u.email] = u.devices.map((d) => d.serial).sort();
  }
  return grants;
}

/** What leaves the ledger. A device moved to another user stays granted: nothing to revoke. */
export function revocationsBetween(before: Grants | undefined, after: Grants | undefined): Revocations {
  const b = before ?? {};
  const a = after ?? {};
  const kept = new Set(
    Object.values(a)
      .flat()
      .map((s) => s.toUpperCase()),
  );
  return {
    users: Object.keys(b)
      .filter((email) => !(email in a))
      .sort(),
    devices: [...new Set(Object.values(b).flat())].filter((s) => !kept.has(s.toUpperCase())).sort(),
  };
}
