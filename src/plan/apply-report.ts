import { DesiredState } from "../model/desired";
import { Plan } from "./diff";
import { EngineFindings } from "./engine";
import { OVERRIDES, Refusal } from "./guards";
import { afterApply } from "./markdown";

// What `npm run apply` prints (and the apply workflow puts in its job summary): why it refused, or what
// it did, whether the result checks out, and who must do what now. Pure, like the plan.

const code = (s: string) => `\`${s}\``;

export function renderRefused(stack: string, refusals: readonly Refusal[]): string {
  const lines = [`## Apply refused on stack ${code(stack)}: nothing was changed`, ""];
  for (const r of refusals) {
    const o = r.override ? OVERRIDES[r.override] : undefined;
    lines.push(
      `- ${r.message}${o ? ` Override: the ${code(o.label)} label on the pull request, or ${code(o.flag)} / ${code(`${o.env}=1`)}.` : ""}`,
    );
    for (const p of r.problems ?? []) lines.push(`  - ${code(`${p.file}:${p.line}:${p.col}`)} ${p.message}`);
  }
  return lines.join("\n") + "\n";
}

/** After `up`: the deployed lists must hold exactly the active users and their devices. */
export function postApplyProblems(
  desired: DesiredState,
  outputs: Record<string, { value: unknown } | undefined>,
): string[] {
  const problems: string[] = [];
  const same = (a: unknown, b: string[]) =>
    Array.isArray(a) && JSON.stringify([...a].map(String).sort()) === JSON.stringify([...b].sort());
  const emails = desired.activeUsers.map((u) => u.email);
  const serials = desired.activeUsers.flatMap((u) => u.devices.map((d) => d.serial));
  if (!same(outputs.managedEmails?.value, emails))
    problems.push(
      `the stack's managedEmails output does not list exactly the ${emails.length} active users of users.yaml`,
    );
  if (!same(outputs.managedSerials?.value, serials))
    problems.push(
      `the stack's managedSerials output does not list exactly the ${serials.length} registered devices of users.yaml`,
    );
  const s = outputs.sessions?.value as { app?: unknown; warp?: unknown } | undefined;
  if (s?.app !== desired.sessions.app || s?.warp !== desired.sessions.warp) {
    problems.push(
      `the deployed sessions (${JSON.stringify(s)}) are not app ${desired.sessions.app}, warp ${desired.sessions.warp}`,
    );
  }
  return problems;
}

export interface AppliedReport {
  stack: string;
  applied: EngineFindings;
  /** The plan against --base, when one was given: who was added, who must reconnect. */
  plan?: Plan;
  activeUsers: number;
  checkProblems: string[];
  overridden: Refusal[];
}

export function renderApplied(r: AppliedReport): string {
  const c = r.applied.counts;
  const lines = [`## Applied to stack ${code(r.stack)}`, ""];
  lines.push(
    `${c.create} created, ${c.update} updated, ${c.replace} replaced, ${c.delete} deleted, ${c.same} unchanged.`,
    "",
  );
  for (const o of r.overridden)
    lines.push(
      `- Guard overridden${o.override ? ` (${code(OVERRIDES[o.override].label)})` : ""}: ${o.message}`,
    );
  if (r.overridden.length) lines.push("");
  if (r.applied.revocations.length > 0) {
    lines.push(
      `Revoked: ${r.applied.revocations.map((x) => `${x.kind} ${code(x.subject)}`).join(", ")}.`,
      "",
    );
  }
  if (r.applied.critical.some((x) => x.kind === "tunnel")) {
    lines.push(
      "**The tunnel was replaced: restart every cloudflared connector with the new token** (`pulumi stack output --show-secrets tunnelToken`, or the connector component restarts the containers itself when `zt:connector.enabled` is true).",
      "",
    );
  }
  lines.push("### Post-apply checks", "");
  if (r.checkProblems.length === 0)
    lines.push(
      "- The deployed lists hold exactly the active users, their devices and the session lengths of users.yaml.",
    );
  else for (const p of r.checkProblems) lines.push(`- **Failed:** ${p}`);
  const actions = afterApply(r.plan, r.applied, r.activeUsers);
  lines.push("", "### Now", "");
  if (actions.length === 0) lines.push("- Nobody needs to do anything.");
  else for (const a of actions) lines.push(`- ${a}`);
  return lines.join("\n") + "\n";
}
