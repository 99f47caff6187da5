// Service-token expiry in the admin's words (issue 17, item 3): "ci-deploy expires in 21 days: renew
// with `npm run zt -- token rotate ci-deploy`". Pure: fed by the tokens' `expires_at` as the account
// answers them (zt doctor reads them; a plan can pass the same list), never by a secret.

import { serviceTokenName, SERVICE_TOKEN_PATTERN } from "../model/names";

/** Below this many days a token's expiry is a warning (zt doctor fails the check, the plan warns). */
export const TOKEN_EXPIRY_WARN_DAYS = 30;
const DAY = 86_400_000;

/** A service token as the account lists it (only the fields this needs). */
export interface AccountToken {
  name: string;
  expires_at?: string | null;
}

export interface TokenExpiry {
  /** The users.yaml name (ci-deploy), or the account name when it is not one of ours. */
  token: string;
  expiresAt?: string;
  /** Whole days left, rounded down; negative once expired; undefined for "forever" or unknown. */
  daysLeft?: number;
  status: "ok" | "soon" | "expired" | "missing" | "never";
  message: string;
}

export const rotateCommand = (token: string, stack = "local") =>
  `npm run zt -- token rotate ${token}${stack === "local" ? "" : ` --stack ${stack}`}`;

/** Cloudflare answers "forever" tokens with a far-future expiry; treat anything past 9000 as never. */
const isNever = (ms: number) => new Date(ms).getUTCFullYear() >= 9000;

/**
 * One line per users.yaml token: expired, expiring within `warnDays`, fine, or absent from the account.
 * `declared` are the users.yaml names; account tokens are matched by serviceTokenName (src/model/names).
 */
export function tokenExpiries(
  declared: readonly string[],
  account: readonly AccountToken[],
  now: Date,
  opts: { warnDays?: number; stack?: string } = {},
): TokenExpiry[] {
  const warnDays = opts.warnDays ?? TOKEN_EXPIRY_WARN_DAYS;
  return declared.map((token) => {
    const found = account.find((t) => t.name === serviceTokenName(token));
    const renew = `renew with \`${rotateCommand(token, opts.stack)}\``;
    if (!found)
      return {
        token,
        status: "missing",
        message: `${token} is not in the account yet (the next apply creates it)`,
      };
    const ms = found.expires_at ? Date.parse(found.expires_at) : NaN;
    if (Number.isNaN(ms))
      return { token, status: "never", message: `${token} has no expiry date in the account` };
    if (isNever(ms))
      return { token, expiresAt: found.expires_at!, status: "never", message: `${token} never expires` };
    const daysLeft = Math.floor((ms - now.getTime()) / DAY);
    const day = found.expires_at!.slice(0, 10);
    if (ms <= now.getTime())
      return {
        token,
        expiresAt: found.expires_at!,
        daysLeft,
        status: "expired",
        message: `${token} expired on ${day}: CI using it is locked out; ${renew}`,
      };
    if (daysLeft < warnDays)
      return {
        token,
        expiresAt: found.expires_at!,
        daysLeft,
        status: "soon",
        message: `${token} expires in ${daysLeft === 0 ? "less than a day" : `${daysLeft} day${daysLeft === 1 ? "" : "s"}`} (${day}): ${renew}`,
      };
    return {
      token,
      expiresAt: found.expires_at!,
      daysLeft,
      status: "ok",
      message: `${token} expires in ${daysLeft} days (${day})`,
    };
  });
}

/** Account tokens named like ours but absent from users.yaml (left over, or made by hand). */
export function undeclaredTokens(declared: readonly string[], account: readonly AccountToken[]): string[] {
  const ours = new Set(declared.map(serviceTokenName));
  return account
    .filter((t) => SERVICE_TOKEN_PATTERN.test(t.name) && !ours.has(t.name))
    .map((t) => t.name)
    .sort();
}
