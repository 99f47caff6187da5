import { Problem } from "./problems";
import { Salvaged } from "./salvage";
import { UsersFile } from "./schema";
import { isExpired } from "../model/desired";
import { lockout } from "../model/lockout";
import { durationMinutes, SESSION_LIMITS } from "../model/sessions";
import { PORTAL_RULES } from "./portal-rules";

// Step two of validation: the rules that need more than one value at a time, as one table of named
// rules over the typed file (changesets-style). They read the salvaged value (every field that passed
// its own schema), so they also run when the schema refused something elsewhere.

export interface RuleInput {
  file: Salvaged<UsersFile>;
  /** The day `expires` is evaluated against, YYYY-MM-DD. */
  today: string;
  /** Nothing was found before this rule: no character, YAML, schema or earlier-rule problem. */
  clean: boolean;
}

export interface RulePositions {
  /** A problem located at the value at `path` (or its nearest written ancestor). */
  at(path: readonly PropertyKey[], message: string): Problem;
  /** A problem located at the key `key` of the mapping at `path` (a group name, an app key). */
  atKey(path: readonly PropertyKey[], key: string, message: string): Problem;
  line(path: readonly PropertyKey[]): number;
  /** Whether the file writes something at `path` (valid or not). */
  written(path: readonly PropertyKey[]): boolean;
}

export interface Rule {
  name: string;
  check(input: RuleInput, positions: RulePositions): Problem[];
}

function sessionMinutes(file: Salvaged<UsersFile>) {
  const app = file.sessions?.app ?? SESSION_LIMITS.app.default;
  const warp = file.sessions?.warp ?? SESSION_LIMITS.warp.default;
  return { app, warp, appMinutes: durationMinutes(app), warpMinutes: durationMinutes(warp) };
}

const users = (file: Salvaged<UsersFile>) => file.users ?? [];

export const RULES = [
  {
    name: "session-range",
    check({ file }, p) {
      const { app, warp, appMinutes, warpMinutes } = sessionMinutes(file);
      const out: Problem[] = [];
      if (appMinutes < SESSION_LIMITS.app.min || appMinutes > SESSION_LIMITS.app.max)
        out.push(
          p.at(["sessions", "app"], `sessions.app is ${app}: the app session must be between 4h and 24h`),
        );
      if (warpMinutes < SESSION_LIMITS.warp.min || warpMinutes > SESSION_LIMITS.warp.max) {
        out.push(
          p.at(
            ["sessions", "warp"],
            `sessions.warp is ${warp}: the WARP session must be between 8h and 168h`,
          ),
        );
      }
      return out;
    },
  },
  {
    name: "warp-not-shorter-than-app",
    check({ file }, p) {
      const { app, warp, appMinutes, warpMinutes } = sessionMinutes(file);
      if (warpMinutes >= appMinutes) return [];
      const written = (key: "app" | "warp", value: string) =>
        file.sessions?.[key] === undefined ? `${value}, the default` : value;
      return [
        p.at(
          ["sessions", p.written(["sessions", "warp"]) ? "warp" : "app"],
          `sessions.warp (${written("warp", warp)}) is shorter than sessions.app (${written("app", app)}): ` +
            `users would lose the network while the app still thinks they are signed in; set warp to at least ${app}`,
        ),
      ];
    },
  },
  {
    name: "unique-email",
    check({ file }, p) {
      const firstLine = new Map<string, number>();
      return users(file).flatMap((u, i) => {
        const email = u.email?.toLowerCase();
        if (!email) return [];
        const first = firstLine.get(email);
        if (first === undefined) {
          firstLine.set(email, p.line(["users", i, "email"]));
          return [];
        }
        return [
          p.at(
            ["users", i, "email"],
            `${email} is listed twice (first at line ${first}); keep one entry and merge the devices`,
          ),
        ];
      });
    },
  },
  {
    name: "real-date",
    check({ file }, p) {
      return users(file).flatMap((u, i) =>
        u.expires !== undefined && !isCalendarDate(u.expires)
          ? [
              p.at(
                ["users", i, "expires"],
                `expires ${u.expires} is not a real date; write YYYY-MM-DD, e.g. 2027-03-31`,
              ),
            ]
          : [],
      );
    },
  },
  {
    name: "unique-serial",
    check({ file }, p) {
      const owners = new Map<string, { user: number; email: string; line: number }>();
      return users(file).flatMap((u, i) =>
        (u.devices ?? []).flatMap((d, j) => {
          if (!d.serial) return [];
          const path = ["users", i, "devices", j, "serial"];
          const key = d.serial.toUpperCase();
          const owner = owners.get(key);
          if (!owner) {
            owners.set(key, { user: i, email: u.email?.toLowerCase() ?? "", line: p.line(path) });
            return [];
          }
          const whose =
            owner.user === i ? "already listed for this user" : `already registered to ${owner.email}`;
          return [
            p.at(
              path,
              `serial ${d.serial} is ${whose} (line ${owner.line}); a device belongs to one person: remove one of them`,
            ),
          ];
        }),
      );
    },
  },
  ...PORTAL_RULES,
  {
    // Last, because it looks at everything before it. Everyone expired is reported in the same pass as
    // other problems: no fix elsewhere makes that file usable. Nobody with a device is how a file
    // looks while it is being drafted, so it is reported once nothing else is wrong, when it is the
    // one thing that would make plan and up refuse the file.
    name: "lockout",
    check({ file, today, clean }, p) {
      const found = lockout(
        users(file).map((u) => ({ expired: isExpired(u.expires, today), devices: u.devices ?? [] })),
        today,
      );
      if (!found || found.kind === "no-users" || (found.kind === "no-device" && !clean)) return [];
      // With groups:, who needs a device is per application (app-reachable says which app admits nobody).
      if (found.kind === "no-device" && file.groups !== undefined) return [];
      return [p.at(["users"], found.message)];
    },
  },
] as const satisfies readonly Rule[];

export type RuleName = (typeof RULES)[number]["name"];

function isCalendarDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
