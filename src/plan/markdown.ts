import { humanDuration } from "../model/sessions";
import { Plan } from "./diff";
import { afterApply, checkLines, RenderOptions, engineSection } from "./markdown-after";
import {
  criticalText,
  deviceRow,
  portalSection,
  refusalLines,
  sessionText,
  summaryLine,
} from "./markdown-parts";
import { cell, code, deviceList, plural, table, who } from "./markdown-text";

export { esc } from "./markdown-text";
export { afterApply, type RenderOptions } from "./markdown-after";

// The pull-request comment: what the change does to people, in the admin runbook's words, so a reviewer
// can approve it at a glance. The first line is a hidden marker the workflow uses to update one comment
// in place instead of adding a new one per push.

export const PLAN_MARKER = "<!-- zt-gitops-plan -->";

export function renderPlan(plan: Plan, opts: RenderOptions = {}): string {
  const out: string[] = [PLAN_MARKER, `## Access plan for stack ${code(plan.stack)}`, ""];
  out.push(
    `Compares ${code(plan.head.usersFile)} and ${code(plan.head.stackFile)} in ${plan.head.label} with ${plan.base.label}.`,
    "",
  );

  const engine = opts.engine && "findings" in opts.engine ? opts.engine : undefined;
  const refusals = [...plan.refusals, ...(engine?.refusals ?? [])];

  // 1. What must not be missed: destructive engine steps, then refusals.
  const alarms = [
    ...(engine?.findings.critical ?? []).map((c) => `> **${criticalText(c.kind, c.op, c.name)}**`),
    ...plan.config.filter((c) => c.critical).map((c) => `> **${code(c.setting)}: ${c.effect}**`),
  ];
  if (alarms.length > 0) out.push(alarms.join("\n>\n"), "");

  const blocking = refusals.filter((r) => !r.overridden);
  if (refusals.length > 0) {
    out.push(
      blocking.length > 0
        ? "### ⛔ Refused: this change cannot be applied as it is"
        : "### Guards overridden",
      "",
    );
    for (const r of refusals) out.push(...refusalLines(r));
    out.push("");
  }

  // 2. The one-line summary.
  out.push(summaryLine(plan, blocking.length), "");

  if (plan.added.length > 0) {
    out.push(`### Users added (${plan.added.length})`, "");
    out.push(
      ...table(
        ["User", "Devices", "Access ends"],
        plan.added.map((u) => [who(u), deviceList(u), u.expires ?? "no end date"]),
      ),
      "",
    );
    out.push(
      plan.portal
        ? "Their email is added to their groups' lists and their serial numbers to the device posture rule; the Groups section below says what each can reach."
        : "Their email is added to the Access policy and their serial numbers to the device posture rule; access is granted as soon as both are registered.",
      "",
    );
  }
  if (plan.restored.length > 0) {
    out.push(`### Access restored (${plan.restored.length})`, "");
    out.push("Their `expires` date had passed; it now lies in the future, so they get access again.", "");
    out.push(
      ...table(
        ["User", "Devices", "Access ends"],
        plan.restored.map((u) => [who(u), deviceList(u), u.expires ?? "no end date"]),
      ),
      "",
    );
  }
  if (plan.removed.length > 0) {
    out.push(`### Users removed (${plan.removed.length})`, "");
    out.push(
      ...table(
        ["User", "Devices revoked"],
        plan.removed.map((u) => [who(u), deviceList(u)]),
      ),
      "",
    );
    out.push(
      "Their email leaves the Access policy and their serial numbers leave the device posture rule: they are blocked from the next request onwards. " +
        "The apply also revokes their active sessions and their devices' WARP registrations (the runbook's \"Revoke active sessions\"), so an open session ends now, not when it expires.",
      "",
    );
  }
  if (plan.expiredSinceBase.length > 0) {
    out.push(`### Access expired (${plan.expiredSinceBase.length})`, "");
    out.push(
      ...table(
        ["User", "Last day", "Devices revoked"],
        plan.expiredSinceBase.map((u) => [who(u), u.expires ?? "", deviceList(u)]),
      ),
      "",
    );
    out.push(
      `Their \`expires\` date has passed since ${plan.base.label} was committed: the apply removes them from the Access policy and revokes their sessions and device registrations.`,
      "",
    );
  }
  if (plan.devices.length > 0) {
    out.push(`### Devices (${plan.devices.length})`, "");
    out.push(...table(["Change", "Device", "User", "What happens"], plan.devices.map(deviceRow)), "");
  }
  if (plan.portal?.length) out.push(...portalSection(plan.portal), "");
  if (plan.expiryChanged.length > 0) {
    out.push(`### Access end dates changed (${plan.expiryChanged.length})`, "");
    out.push(
      ...table(
        ["User", "Before", "After"],
        plan.expiryChanged.map((e) => [code(e.email), e.from ?? "no end date", e.to ?? "no end date"]),
      ),
      "",
    );
  }
  if (plan.sessions.length > 0) {
    out.push("### Sessions", "");
    for (const s of plan.sessions)
      out.push(`- ${sessionText(s.which, s.fromMinutes, s.toMinutes, plan.counts.headActive)}`);
    out.push("");
  }
  if (plan.configNew) {
    out.push(
      "### Stack settings",
      "",
      `${code(plan.head.stackFile)} is new: this is the stack's first configuration, so every resource is created.`,
      "",
    );
  } else if (plan.config.length > 0) {
    out.push(`### Stack settings (${plan.config.length})`, "");
    out.push(
      ...table(
        ["Setting", "Before", "After", "What happens"],
        plan.config.map((c) => [code(c.setting), cell(c.from), cell(c.to), c.effect]),
      ),
      "",
    );
  }

  const actions = afterApply(plan, engine?.findings);
  if (actions.length > 0) out.push("### After the apply", "", ...actions.map((a) => `- ${a}`), "");

  const checks = checkLines(plan);
  if (checks.length > 0) out.push("### Checks", "", ...checks, "");

  if (opts.engine) out.push(...engineSection(opts.engine), "");
  if (plan.notes.length > 0) out.push("### Notes", "", ...plan.notes.map((n) => `- ${n}`), "");

  const sessions = plan.currentSessions;
  const tail = [
    sessions && plan.sessions.length === 0
      ? `Sessions unchanged: app ${humanDuration(sessions.appMinutes)}, WARP ${humanDuration(sessions.warpMinutes)}.`
      : "",
    plan.cosmeticEdits > 0
      ? `${plural(plan.cosmeticEdits, "edit")} to names or labels (no effect on access).`
      : "",
  ].filter(Boolean);
  if (tail.length > 0) out.push(tail.join(" "), "");
  out.push(
    `<sub>${opts.command ? `${code(opts.command)} · ` : ""}Merging applies this plan (apply workflow); expiry is evaluated on ${plan.today} (UTC).</sub>`,
  );
  return out.join("\n") + "\n";
}
