import { StackInfo, Users } from "../context";
import { goDurationMinutes, Loose } from "../inventory";
import { DEVICE_GROUP_NAME, POLICY_NAME } from "../../model/names";
import { formatDuration } from "../../model/sessions";
import { CheckResult, fail, Inventory, pass, plural } from "./types";

// The Access half of the checklist: applications, policy, sessions.

export function applicationCheck(hostname: string, name: string, inv: Inventory, apply: string): CheckResult {
  const title = `Access application ${hostname}`;
  const apps = inv.apps.filter(
    (a) =>
      a.domain === hostname ||
      (Array.isArray(a.self_hosted_domains) && a.self_hosted_domains.includes(hostname)),
  );
  const fix = `${apply} (dashboard: Access > Applications)`;
  if (apps.length === 0)
    return fail(title, "no Access application protects this hostname: it is either unreachable or open", fix);
  if (apps.length > 1)
    return fail(
      title,
      `${apps.length} applications claim this hostname (${apps.map((a) => `"${a.name}"`).join(", ")})`,
      `delete the extra one in Access > Applications, then ${apply}`,
    );
  const app = apps[0];
  const problems: string[] = [];
  if (app.type !== "self_hosted") problems.push(`type is ${app.type}, not self_hosted`);
  if (app.name !== name) problems.push(`named "${app.name}", the stack says "${name}"`);
  const attached: Loose[] = Array.isArray(app.policies) ? app.policies : [];
  if (!inv.policy) problems.push(`the policy "${POLICY_NAME}" does not exist`);
  else if (!attached.some((p) => p.id === inv.policy!.id))
    problems.push(`the policy "${POLICY_NAME}" is not attached`);
  const others = attached.filter((p) => p.id !== inv.policy?.id);
  if (others.length)
    problems.push(
      `other policies are attached too (${others.map((p) => p.name ?? p.id).join(", ")}): they may let others in`,
    );
  if (problems.length) return fail(title, problems.join("; "), fix);
  return pass(title, `"${app.name}", self_hosted, policy attached`);
}

export function policyCheck(inv: Inventory, apply: string): CheckResult {
  const title = "Access policy";
  const fix = `${apply} (dashboard: Access > Policies)`;
  const p = inv.policy;
  if (!p) return fail(title, `"${POLICY_NAME}" not found`, fix);
  const problems: string[] = [];
  if (p.decision !== "allow") problems.push(`decision is ${p.decision}, not allow`);
  const includes: Loose[] = Array.isArray(p.include) ? p.include : [];
  const listIds = new Set(includes.map((r) => r.email_list?.id).filter(Boolean));
  const missingLists = inv.emailLists.filter((l) => !listIds.has(l.id));
  if (inv.emailLists.length === 0) problems.push("there is no zt-gitops email list to include");
  if (missingLists.length)
    problems.push(`does not include ${missingLists.map((l) => `"${l.name}"`).join(", ")}`);
  const foreign = includes.filter((r) => !r.email_list);
  if (foreign.length)
    problems.push(
      `also includes ${foreign.map((r) => Object.keys(r)[0]).join(", ")}: more people than users.yaml get in`,
    );
  const requires: Loose[] = Array.isArray(p.require) ? p.require : [];
  if (!inv.group) problems.push(`the device group "${DEVICE_GROUP_NAME}" does not exist`);
  else {
    if (!requires.some((r) => r.group?.id === inv.group!.id))
      problems.push(`does not require the device group "${DEVICE_GROUP_NAME}": any device would pass`);
    const inGroup = new Set(
      ((inv.group.include ?? []) as Loose[]).map((r) => r.device_posture?.integration_uid).filter(Boolean),
    );
    const notIn = inv.posture.filter((r) => !inGroup.has(r.rule.id));
    if (inv.posture.length === 0) problems.push("no zt-gitops serial posture rule exists");
    if (notIn.length) problems.push(`device group lacks ${notIn.map((r) => `"${r.rule.name}"`).join(", ")}`);
  }
  if (problems.length) return fail(title, problems.join("; "), fix);
  return pass(
    title,
    `allow: email in ${plural(listIds.size, "list")} AND device in ${plural(inv.posture.length, "serial rule")}`,
  );
}

export function sessionsCheck(stack: StackInfo, users: Users, inv: Inventory, apply: string): CheckResult {
  const title = "Session lengths";
  const { appMinutes, warpMinutes, app, warp } = users.state.sessions;
  const shown = (v: unknown) => {
    const m = goDurationMinutes(v);
    return m === undefined ? String(v ?? "unset") : formatDuration(m);
  };
  const problems: string[] = [];
  const hostnames = new Set(stack.config.apps.map((a) => a.hostname));
  for (const a of inv.apps.filter((x) => hostnames.has(x.domain))) {
    if (goDurationMinutes(a.session_duration) !== appMinutes)
      problems.push(`app ${a.domain} is ${shown(a.session_duration)}, ${users.name} says ${app}`);
  }
  if (
    inv.policy?.session_duration !== undefined &&
    goDurationMinutes(inv.policy.session_duration) !== appMinutes
  ) {
    problems.push(
      `the policy's session is ${shown(inv.policy.session_duration)} (it overrides the app's), ${users.name} says ${app}`,
    );
  }
  const org = inv.organization;
  if (!org) problems.push("the Zero Trust organization does not exist, so there is no WARP session setting");
  else {
    if (goDurationMinutes(org.warp_auth_session_duration) !== warpMinutes)
      problems.push(`WARP session is ${shown(org.warp_auth_session_duration)}, ${users.name} says ${warp}`);
    if (org.allow_authenticate_via_warp !== true)
      problems.push("WARP authentication is off, so the WARP session length does not apply");
  }
  if (problems.length) {
    return fail(
      title,
      problems.join("; "),
      `${apply} (dashboard: Access > Applications > Session duration; Settings > WARP Client > Global settings)`,
    );
  }
  return pass(title, `app ${app}, WARP ${warp}, as in ${users.name}`);
}
