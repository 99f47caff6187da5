import { StackInfo, Users } from "../context";
import { Loose, NamedList } from "../inventory";
import { AppConfig } from "../../config/schema";
import { groupListName, groupListPrefix, groupPolicyName, serviceAuthPolicyName } from "../../model/names";
import { activeUser } from "./people-checks";
import { PortalState } from "../../model/portal";
import { tokenExpiries } from "../../plan/token-expiry";
import { CheckResult, fail, few, Inventory, pass, plural, warn } from "./types";

// The checklist per group and per application when users.yaml declares groups (portal mode,
// docs/design-portal.md): each group's EMAIL lists and policies, each app's attached policies, and the
// service tokens' expiry. Pure functions of the stack, users.yaml and the inventory.

/** zt:apps[].key (the config schema fills in the default, the hostname's first label). */
export const appKey = (app: AppConfig): string => app.key;

const lower = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase()));

/** The policy names an app needs, service auth first (the order the components attach them). */
export function expectedPolicies(portal: PortalState, key: string): string[] {
  const entry = portal.access.find((a) => a.app === key);
  if (!entry) return [];
  return [
    ...(entry.serviceTokens.length ? [serviceAuthPolicyName(key)] : []),
    ...entry.allow.map((g) => groupPolicyName(g, entry.devices.includes(g))),
  ];
}

export function groupCheck(
  portal: PortalState,
  group: PortalState["groups"][number],
  users: Users,
  inv: Inventory,
  apply: string,
): CheckResult {
  const title = `Group ${group.name}`;
  const names = group.emailChunks.map((_, i) => groupListName(group.name, i));
  const lists = inv.groupLists.filter((l) => l.name.startsWith(groupListPrefix(group.name)));
  const problems: string[] = [];
  const missingLists = names.filter((n) => !lists.some((l) => l.name === n));
  if (missingLists.length) problems.push(`missing list ${missingLists.map((n) => `"${n}"`).join(", ")}`);
  const held = lower(lists.flatMap((l) => l.values));
  const members = lower(group.members);
  const absent = [...members].filter((m) => !held.has(m)).sort();
  const extra = [...held].filter((m) => !members.has(m)).sort();
  if (absent.length) problems.push(`${few(absent)} not in the group's lists (cannot sign in)`);
  if (extra.length)
    problems.push(`${few(extra)} in the lists but not active members in ${users.name}: they still get in`);
  const wanted = new Set(
    portal.access
      .filter((a) => a.allow.includes(group.name))
      .map((a) => groupPolicyName(group.name, a.devices.includes(group.name))),
  );
  const missingPolicies = [...wanted].filter((n) => !inv.policies.some((p) => p.name === n));
  if (missingPolicies.length)
    problems.push(`policy ${missingPolicies.map((n) => `"${n}"`).join(", ")} does not exist`);
  const apps = portal.access.filter((a) => a.allow.includes(group.name)).map((a) => a.app);
  if (problems.length) return fail(title, problems.join("; "), `apply ${users.name}: ${apply}`);
  return pass(
    title,
    `${plural(members.size, "member")} in ${plural(lists.length, "list")}, login ${group.login === "otp" ? "one-time PIN" : "identity provider"}, reaches ${apps.join(", ") || "no app"}`,
  );
}

export function portalAppCheck(
  app: AppConfig,
  portal: PortalState,
  inv: Inventory,
  apply: string,
): CheckResult {
  const key = appKey(app);
  const title = `Access application ${app.hostname} (${key})`;
  const fix = `${apply} (dashboard: Access > Applications)`;
  const apps = inv.apps.filter(
    (a) =>
      a.domain === app.hostname ||
      (Array.isArray(a.self_hosted_domains) && a.self_hosted_domains.includes(app.hostname)),
  );
  if (apps.length === 0)
    return fail(title, "no Access application protects this hostname: it is either unreachable or open", fix);
  if (apps.length > 1)
    return fail(
      title,
      `${apps.length} applications claim this hostname`,
      `delete the extra one, then ${apply}`,
    );
  const attached: Loose[] = Array.isArray(apps[0].policies) ? apps[0].policies : [];
  const byId = new Map(inv.policies.map((p) => [p.id, p]));
  const attachedNames = attached.map((p) => String(p.name ?? byId.get(p.id)?.name ?? p.id));
  const expected = expectedPolicies(portal, key);
  const problems: string[] = [];
  const missing = expected.filter((n) => !attachedNames.includes(n));
  const extra = attachedNames.filter((n) => !expected.includes(n));
  if (!portal.access.some((a) => a.app === key)) problems.push(`users.yaml has no access entry for ${key}`);
  if (missing.length) problems.push(`not attached: ${missing.map((n) => `"${n}"`).join(", ")}`);
  if (extra.length)
    problems.push(`also attached: ${extra.map((n) => `"${n}"`).join(", ")}: they may let others in`);
  if (problems.length) return fail(title, problems.join("; "), fix);
  const entry = portal.access.find((a) => a.app === key)!;
  const who = entry.allow.map((g) => (entry.devices.includes(g) ? `${g} (device)` : g));
  return pass(
    title,
    `${who.join(", ")}${entry.serviceTokens.length ? ` + service tokens ${entry.serviceTokens.join(", ")}` : ""}`,
  );
}

/** zt doctor --email in portal mode: the person is in each of their groups' lists, and what they reach. */
export function portalUserCheck(
  email: string,
  portal: PortalState,
  users: Users,
  inv: Inventory,
  apply: string,
): CheckResult {
  const title = `User ${email}`;
  const user = activeUser(email, users, title, "with their groups");
  if ("status" in user) return user;
  const groups = portal.groups.filter((g) => g.members.includes(email));
  if (groups.length === 0)
    return fail(
      title,
      `in no group (${users.name} line ${user.line}): they reach no app`,
      `add groups: to their entry`,
    );
  const missing = groups.filter(
    (g) =>
      !inv.groupLists.some(
        (l) => l.name.startsWith(groupListPrefix(g.name)) && l.values.some((v) => v.toLowerCase() === email),
      ),
  );
  if (missing.length)
    return fail(
      title,
      `in ${users.name} (line ${user.line}) but not in the list of ${missing.map((g) => g.name).join(", ")}`,
      `apply ${users.name}: ${apply}`,
    );
  const reaches = portal.access
    .filter((a) => a.allow.some((g) => groups.some((x) => x.name === g)))
    .map((a) => `${a.app}${a.devices.some((g) => groups.some((x) => x.name === g)) ? " (device)" : ""}`);
  return pass(
    title,
    `in ${groups.map((g) => `${g.name} (${g.login === "otp" ? "one-time PIN" : "identity provider"})`).join(", ")}; reaches ${reaches.join(", ") || "no app"}`,
  );
}

export function tokensCheck(stack: StackInfo, portal: PortalState, inv: Inventory, now: Date): CheckResult {
  const title = "Service tokens";
  const declared = portal.serviceTokens.map((t) => t.name);
  const results = tokenExpiries(declared, inv.serviceTokens as never, now, { stack: stack.name });
  const bad = results.filter((r) => r.status === "expired" || r.status === "missing");
  const soon = results.filter((r) => r.status === "soon");
  if (bad.length)
    return fail(
      title,
      [...bad, ...soon].map((r) => r.message).join("; "),
      bad[0].status === "missing"
        ? `apply users.yaml: ${stack.name === "local" ? "npm run up" : `npm run up -- --stack ${stack.name}`}`
        : "renew as shown, then update CI with the new secret",
    );
  if (soon.length)
    return warn(
      title,
      soon.map((r) => r.message).join("; "),
      "renew as shown (no downtime: the old secret keeps working 24h)",
    );
  return pass(title, results.map((r) => r.message).join("; ") || "users.yaml declares none");
}

export type { NamedList };
