import { lockout } from "../model/lockout";
import { DesiredState } from "../model/desired";
import { Problem } from "../diagnostics/problems";

// The refusals shared by the pull-request plan and the apply path, so a change the plan calls refused is
// exactly the change apply refuses (and the same override opens both).

/** PR labels, CLI flags and environment variables that override a guard. */
export const OVERRIDES = {
  massRemoval: { label: "allow-mass-removal", flag: "--allow-mass-removal", env: "ZT_ALLOW_MASS_REMOVAL" },
  tunnelReplace: {
    label: "allow-tunnel-replace",
    flag: "--allow-tunnel-replace",
    env: "ZT_ALLOW_TUNNEL_REPLACE",
  },
} as const;

export type OverrideName = keyof typeof OVERRIDES;

export type RefusalCode =
  | "invalid-users"
  | "invalid-config"
  | "missing-config"
  | "lockout"
  | "remove-every-user"
  | "mass-removal"
  | "tunnel-replace";

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** Validation problems, printed as PATH:LINE:COL lines. */
  problems?: Problem[];
  /** The override that lifts this refusal; undefined: nothing does (fix the change instead). */
  override?: OverrideName;
  /** True when the override was given: shown, but no longer blocking. */
  overridden: boolean;
}

export const DEFAULT_MAX_REMOVAL_SHARE = 0.5;

/** Refusals that still block (not lifted by an override). */
export function blocking(refusals: readonly Refusal[]): Refusal[] {
  return refusals.filter((r) => !r.overridden);
}

/** "1", "true", "yes" (any case) turn an override on; anything else, or unset, leaves it off. */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes)$/i.test(value.trim());
}

/** Which overrides are on: the command's flag or its environment variable (set by CI from a PR label). */
export function activeOverrides(
  flags: { "allow-mass-removal"?: boolean; "allow-tunnel-replace"?: boolean },
  env: NodeJS.ProcessEnv,
) {
  return {
    allowMassRemoval: Boolean(flags["allow-mass-removal"]) || envFlag(env[OVERRIDES.massRemoval.env]),
    allowTunnelReplace: Boolean(flags["allow-tunnel-replace"]) || envFlag(env[OVERRIDES.tunnelReplace.env]),
  };
}

/** An application admitting nobody locks the admin out as well: never overridable. */
export function lockoutRefusals(head: DesiredState): Refusal[] {
  const found = lockout(head.users, head.today);
  if (!found) return [];
  return [
    {
      code: "lockout",
      message: `This change would leave the application with no allowed user: ${found.message}.`,
      overridden: false,
    },
  ];
}

export interface RemovalInput {
  /** How many users had access before the change. */
  before: number;
  /** Users whose entry the change deletes (expiry is the file working as written, not counted). */
  removed: readonly string[];
  maxShare: number;
  allowMassRemoval: boolean;
}

/**
 * A bad merge or a truncated file removes many people at once; a real offboarding rarely does. Removing
 * everyone, or more than `maxShare` of the users, needs an explicit override.
 */
export function removalRefusals(input: RemovalInput): Refusal[] {
  const { before, removed, maxShare } = input;
  if (before === 0 || removed.length === 0) return [];
  const overridden = input.allowMassRemoval;
  const share = removed.length / before;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (removed.length === before) {
    return [
      {
        code: "remove-every-user",
        message: `This change removes every user who has access today (${before} of ${before}).`,
        override: "massRemoval",
        overridden,
      },
    ];
  }
  if (share > maxShare) {
    return [
      {
        code: "mass-removal",
        message: `This change removes ${removed.length} of ${before} users at once (${pct(share)}); the limit is ${pct(maxShare)} (\`guards.maxRemovalShare\`).`,
        override: "massRemoval",
        overridden,
      },
    ];
  }
  return [];
}
