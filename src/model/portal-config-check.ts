import { DEFAULT_SEATS, SEATS_WARNING_SHARE, seatsFor } from "../config/portal-config";
import { StackConfig } from "../config/schema";
import { closest, Problem } from "../diagnostics/problems";
import { DesiredState } from "./desired";

// The references between users.yaml and the stack config (docs/design-portal.md), checked where both are
// known: the program's readInputs, `npm run validate -- --stack NAME` and the PR plan. Access keys must be
// zt:apps keys and every app needs an access entry; groups signing in with the identity provider need
// one in zt:identityProviders; active users must fit in the account's seats. Pure.

export interface CrossFiles {
  /** Name of users.yaml in messages. */
  usersFile: string;
  /** Name of Pulumi.<stack>.yaml in messages. */
  stackFile: string;
  /** Where a zt: config path (e.g. ["apps", 1]) is written in the stack file; 1:1 when unknown. */
  stackAt?: (path: readonly PropertyKey[]) => { line: number; col: number };
}

export interface CrossCheck {
  /** Refusals: the change cannot be applied as it is. */
  problems: Problem[];
  /** Worth a look, nothing refused (seats nearly used up). */
  warnings: Problem[];
}

export function checkPortalAgainstConfig(
  desired: DesiredState,
  config: StackConfig,
  files: CrossFiles,
): CrossCheck {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const inUsers = (pos: { line: number; col?: number }, message: string): Problem => ({
    file: files.usersFile,
    line: pos.line,
    col: pos.col ?? 1,
    message,
    rule: "portal-config",
  });
  const inStack = (path: readonly PropertyKey[], message: string): Problem => ({
    file: files.stackFile,
    ...(files.stackAt?.(path) ?? { line: 1, col: 1 }),
    message,
    rule: "portal-config",
  });
  const portal = desired.portal;

  if (portal) {
    const keys = config.apps.map((a) => a.key);
    for (const entry of portal.access) {
      if (keys.includes(entry.app)) continue;
      const hint = closest(entry.app, keys);
      problems.push(
        inUsers(
          entry,
          `access: ${entry.app} is not an application in zt:apps` +
            (hint
              ? `: did you mean ${hint}?`
              : ` (keys: ${keys.join(", ")}; set zt:apps[].key or add the app)`),
        ),
      );
    }
    config.apps.forEach((app, i) => {
      if (portal.access.some((a) => a.app === app.key)) return;
      problems.push(
        inStack(
          ["apps", i],
          `zt:apps[${i}] (${app.hostname}, key ${app.key}) has no entry under access: in ${files.usersFile}, so nobody could reach it; ` +
            `add \`${app.key}: { allow: [...] }\` there or remove the app`,
        ),
      );
    });
    const idps = config.identityProviders.filter((p) => p.type !== "onetimepin");
    for (const group of portal.groups) {
      if (group.login !== "idp" || idps.length > 0) continue;
      problems.push(
        inUsers(
          group,
          `group ${group.name} signs in with login: idp, but zt:identityProviders lists no identity provider other than one-time PIN; ` +
            "add one (google-apps, okta, azureAD or github) or use login: otp",
        ),
      );
    }
  }

  const seats = seatsFor(config.seats, portal !== undefined);
  const active = desired.activeUsers.length;
  if (seats !== undefined) {
    const where = config.seats === undefined ? `the free plan's ${DEFAULT_SEATS}` : `zt:seats ${seats}`;
    if (active > seats) {
      problems.push(
        inUsers(
          desired.activeUsers[seats],
          `${active} active users need ${active} Zero Trust seats, more than ${where}: users from here on could not sign in; ` +
            "remove or expire users, or buy seats and set zt:seats",
        ),
      );
    } else if (active >= Math.ceil(seats * SEATS_WARNING_SHARE)) {
      warnings.push(
        inUsers(
          desired.activeUsers[active - 1],
          `${active} of ${seats} Zero Trust seats used (${where}); the account refuses sign-ins beyond it`,
        ),
      );
    }
  }
  return { problems, warnings };
}
