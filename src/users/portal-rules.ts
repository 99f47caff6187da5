import { Problem, closest } from "./problems";
import { MAX_SERVICE_TOKENS, NO_DEVICES } from "./portal-schema";
import type { Rule } from "./rules";
import { Salvaged } from "./salvage";
import { UsersFile } from "./schema";
import { isExpired } from "../model/desired";
import { deviceGroups } from "../model/portal-desired";

// The portal-mode rules (docs/design-portal.md): every reference resolves (with a did-you-mean), and
// nothing is declared that would admit nobody, the lockout of several audiences. They read the salvaged
// file like the other rules, so they run when the schema refused something elsewhere too. The access
// tests need the whole model and run after it is built (src/users/check.ts).

type File = Salvaged<UsersFile>;

const portal = (file: File) => file.groups !== undefined;
const groupNames = (file: File) => Object.keys(file.groups ?? {});
const tokenNames = (file: File) => (file.serviceTokens ?? []).flatMap((t) => (t.name ? [t.name] : []));
type Entry = NonNullable<NonNullable<File["access"]>[string]>;
const accessEntries = (file: File): [string, Entry][] =>
  Object.entries(file.access ?? {}).flatMap(([app, entry]) => (entry ? [[app, entry]] : []));
const emails = (file: File) => (file.users ?? []).flatMap((u) => (u.email ? [u.email.toLowerCase()] : []));

/** "unknown group stafff: did you mean staff?" or the list of what is declared. */
function unknown(what: string, name: string, known: readonly string[], declareHint: string): string {
  const hint = closest(name, known);
  if (hint) return `unknown ${what} ${name}: did you mean ${hint}?`;
  return known.length
    ? `unknown ${what} ${name}: declared are ${known.join(", ")}`
    : `unknown ${what} ${name}: ${declareHint}`;
}

const GROUP_HINT = "declare it under groups:, e.g. `groups: { staff: { login: idp } }`";
const TOKEN_HINT = "declare it under serviceTokens:, e.g. `serviceTokens: [{ name: ci-deploy }]`";

export const PORTAL_RULES = [
  {
    // access:, serviceTokens:, tests: and a user's groups: only mean something once groups exist.
    name: "portal-needs-groups",
    check({ file }, p) {
      if (portal(file)) return [];
      const out: Problem[] = [];
      for (const key of ["access", "serviceTokens", "tests"] as const)
        if (file[key] !== undefined)
          out.push(
            p.atKey(
              [],
              key,
              `${key}: needs groups: (who belongs where) to refer to; declare them, e.g. \`groups: { staff: { login: idp } }\`, or delete ${key}:`,
            ),
          );
      (file.users ?? []).forEach((u, i) => {
        if (u.groups !== undefined)
          out.push(
            p.at(
              ["users", i, "groups"],
              `users[${i}].groups names groups, but the file declares no groups:; add them at the top, e.g. \`groups: { staff: { login: idp } }\``,
            ),
          );
      });
      return out;
    },
  },
  {
    name: "group-name",
    check({ file }, p) {
      return groupNames(file)
        .filter((g) => g === NO_DEVICES)
        .map((g) =>
          p.atKey(
            ["groups"],
            g,
            `a group cannot be called ${g}: \`devices: none\` means no group; rename it`,
          ),
        );
    },
  },
  {
    name: "user-groups",
    check({ file }, p) {
      if (!portal(file)) return [];
      const known = groupNames(file);
      return (file.users ?? []).flatMap((u, i): Problem[] => {
        if (u.groups === undefined || u.groups.length === 0)
          return p.written(["users", i]) && u.email
            ? [
                p.at(
                  u.groups === undefined ? ["users", i, "email"] : ["users", i, "groups"],
                  `${u.email} belongs to no group: once groups: is declared every user names at least one, e.g. \`groups: [${known[0] ?? "staff"}]\``,
                ),
              ]
            : [];
        return u.groups.flatMap((g, j) =>
          known.includes(g) ? [] : [p.at(["users", i, "groups", j], unknown("group", g, known, GROUP_HINT))],
        );
      });
    },
  },
  {
    name: "access-references",
    check({ file }, p) {
      if (!portal(file)) return [];
      const groups = groupNames(file);
      const tokens = tokenNames(file);
      return accessEntries(file).flatMap(([app, entry]) => {
        const out: Problem[] = [];
        const allow = entry.allow ?? [];
        allow.forEach((g, j) => {
          if (!groups.includes(g))
            out.push(p.at(["access", app, "allow", j], unknown("group", g, groups, GROUP_HINT)));
        });
        const devices = entry.devices;
        const listed =
          devices === undefined || devices === NO_DEVICES
            ? []
            : typeof devices === "string"
              ? [devices]
              : devices;
        listed.forEach((g, j) => {
          const path =
            typeof devices === "string" ? ["access", app, "devices"] : ["access", app, "devices", j];
          if (!groups.includes(g)) out.push(p.at(path, unknown("group", g, groups, GROUP_HINT)));
          else if (!allow.includes(g))
            out.push(
              p.at(
                path,
                `${g} must pass the device check on ${app} but is not in its allow: add it to allow or remove it here`,
              ),
            );
        });
        (entry.serviceTokens ?? []).forEach((t, j) => {
          if (!tokens.includes(t))
            out.push(
              p.at(["access", app, "serviceTokens", j], unknown("service token", t, tokens, TOKEN_HINT)),
            );
        });
        return out;
      });
    },
  },
  {
    name: "service-tokens",
    check({ file }, p) {
      const tokens = file.serviceTokens ?? [];
      const out: Problem[] = [];
      if (tokens.length > MAX_SERVICE_TOKENS)
        out.push(
          p.at(
            ["serviceTokens", MAX_SERVICE_TOKENS],
            `${tokens.length} service tokens: Cloudflare allows at most ${MAX_SERVICE_TOKENS} per account; remove ${tokens.length - MAX_SERVICE_TOKENS}`,
          ),
        );
      const first = new Map<string, number>();
      tokens.forEach((t, i) => {
        if (!t.name) return;
        const at = first.get(t.name);
        if (at === undefined) first.set(t.name, p.line(["serviceTokens", i]));
        else
          out.push(
            p.at(
              ["serviceTokens", i, "name"],
              `service token ${t.name} is listed twice (first at line ${at}); keep one`,
            ),
          );
      });
      return out;
    },
  },
  {
    name: "test-references",
    check({ file }, p) {
      if (!portal(file)) return [];
      const apps = Object.keys(file.access ?? {});
      const users = emails(file);
      const tokens = tokenNames(file);
      return (file.tests ?? []).flatMap((t, i): Problem[] => {
        const at = (key: string, message: string) => p.at(["tests", i, key], message);
        if ((t.user === undefined) === (t.serviceToken === undefined)) {
          if (
            !p.written(["tests", i, "user"]) &&
            !p.written(["tests", i, "serviceToken"]) &&
            t.user === undefined
          )
            return [
              p.at(
                ["tests", i],
                "a test names who asks: user: (an email from users) or serviceToken: (a token name)",
              ),
            ];
          if (t.user !== undefined && t.serviceToken !== undefined)
            return [
              at("serviceToken", "a test is about a user or a service token, not both: split it in two"),
            ];
          return [];
        }
        const out: Problem[] = [];
        if (t.app !== undefined && !apps.includes(t.app))
          out.push(
            at("app", unknown("application", t.app, apps, "add it under access: (keys are zt:apps[].key)")),
          );
        if (t.serviceToken !== undefined) {
          if (!tokens.includes(t.serviceToken))
            out.push(at("serviceToken", unknown("service token", t.serviceToken, tokens, TOKEN_HINT)));
          for (const key of ["device", "login"] as const)
            if (t[key] !== undefined)
              out.push(at(key, `${key}: is about a user; a service token has none: delete it`));
          return out;
        }
        const email = t.user!.toLowerCase();
        if (!users.includes(email)) {
          out.push(at("user", unknown("user", email, users, "add them under users:")));
          return out;
        }
        if (t.device !== undefined) {
          const serials = (file.users ?? []).flatMap((u) =>
            (u.devices ?? []).flatMap((d) => (d.serial ? [d.serial] : [])),
          );
          // A device of another user is a meaningful test (someone else's laptop): only an unknown serial is a typo.
          if (!serials.some((s) => s.toUpperCase() === t.device!.toUpperCase()))
            out.push(at("device", unknown("device", t.device, serials, "add it to the user's devices:")));
        }
        return out;
      });
    },
  },
  {
    // A group no application allows admits its members nowhere: almost always a missing access line.
    name: "group-reached",
    check({ file }, p) {
      if (!portal(file)) return [];
      const allowed = new Set(accessEntries(file).flatMap(([, a]) => a.allow ?? []));
      return groupNames(file)
        .filter((g) => !allowed.has(g))
        .map((g) =>
          p.atKey(
            ["groups"],
            g,
            `group ${g} is allowed on no application: add it to an allow: under access: or delete the group`,
          ),
        );
    },
  },
  {
    // An app nobody may reach is a lockout for that app: refused like the lockout, never overridable.
    name: "app-reachable",
    check({ file, today }, p) {
      if (!portal(file)) return [];
      const groups = file.groups ?? {};
      const users = (file.users ?? []).filter((u) => !isExpired(u.expires, today));
      const tokens = tokenNames(file);
      return accessEntries(file).flatMap(([app, entry]) => {
        const allow = entry.allow ?? [];
        const needDevice = deviceGroups(allow, entry.devices, (g) => groups[g]?.login);
        const someone = users.some((u) =>
          (u.groups ?? []).some(
            (g) => allow.includes(g) && (!needDevice.includes(g) || (u.devices ?? []).length > 0),
          ),
        );
        if (someone || (entry.serviceTokens ?? []).some((t) => tokens.includes(t))) return [];
        const why =
          allow.length === 0
            ? "it allows no group and no service token"
            : needDevice.length
              ? `no active member of ${allow.join(", ")} could pass (${needDevice.join(", ")} ${needDevice.length === 1 ? "needs" : "need"} a registered device)`
              : `${allow.join(", ")} ${allow.length === 1 ? "has" : "have"} no active member`;
        return [
          p.atKey(
            ["access"],
            app,
            `nobody may reach ${app}: ${why}; add a member or a device, or allow another group`,
          ),
        ];
      });
    },
  },
] as const satisfies readonly Rule[];
