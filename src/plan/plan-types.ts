import { DesiredDevice } from "../model/desired";
import { Os } from "../users/schema";
import { PortalChange } from "./diff-portal";
import { Refusal } from "./guards";

// What a plan says: the shape diffPlan fills and the Markdown renderer reads.

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
  /** Groups, per-app access and service tokens (portal mode only; absent for a legacy file). */
  portal?: PortalChange[];
  /** Portal mode: active users no device check applies to (one-time PIN clients): no WARP for them. */
  clientless?: string[];
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
