import { Plan } from "./diff";
import { EngineFindings } from "./engine";
import { Refusal } from "./guards";
import { code, daysLeftText, esc, plural, table, who } from "./markdown-text";

// The end of the plan comment: what happens after apply, the checks, the engine's preview.

export interface RenderOptions {
  /** The engine's preview, when it ran (`npm run plan -- --engine`). */
  engine?: { findings: EngineFindings; refusals: Refusal[] } | { error: string };
  /** The command line that produced the plan, for the footer. */
  command?: string;
}

/** What people must do once the change is live (also printed by `npm run apply`, where there may be no plan). */
export function afterApply(
  plan: Plan | undefined,
  engine: EngineFindings | undefined,
  activeUsers = plan?.counts.headActive ?? 0,
): string[] {
  const actions: string[] = [];
  const team = plan?.teamName ? `, team name ${code(plan.teamName)}` : "";
  const all = plan ? [...plan.added, ...plan.restored] : [];
  const clientless = all.filter((u) => plan?.clientless?.includes(u.email));
  const newcomers = all.filter((u) => !clientless.includes(u));
  if (clientless.length > 0) {
    actions.push(
      `Send ${listPeople(clientless.map((u) => u.email))} the address of their application: they sign in in the browser with the one-time PIN sent to their email (no WARP, no device check).`,
    );
  }
  if (newcomers.length > 0) {
    actions.push(
      `Send the WARP setup instructions to ${listPeople(newcomers.map((u) => u.email))}: install WARP, then WARP → Preferences → Account → Login with Cloudflare Zero Trust${team}, enter the OTP code sent to their work email, and turn WARP on.`,
    );
  }
  if (plan?.reEnrol) {
    actions.push(
      `Everyone must log in to WARP again with the new team name ${code(plan.reEnrol.to)} (WARP → Preferences → Account → Login with Cloudflare Zero Trust).`,
    );
  }
  const reasons = new Map<string, Set<string> | "everyone">();
  const add = (reason: string, people: "everyone" | string[]) => {
    const cur = reasons.get(reason);
    if (people === "everyone" || cur === "everyone") reasons.set(reason, "everyone");
    else reasons.set(reason, new Set([...(cur ?? []), ...people]));
  };
  for (const r of plan?.reconnect ?? []) add(r.reason, r.who);
  for (const what of engine?.warpProfileChanges ?? []) add(`the engine changes ${what}`, "everyone");
  const everyone = [...reasons.values()].some((v) => v === "everyone");
  if (reasons.size > 0) {
    const people = everyone
      ? `everyone (${plural(activeUsers, "active user")})`
      : listPeople([...new Set([...reasons.values()].flatMap((v) => [...(v as Set<string>)]))]);
    actions.push(
      `Ask ${people} to disconnect and reconnect WARP (toggle it off and on): ${[...reasons.keys()].join("; ")}. Profile changes are not pushed to connected WARP clients in real time.`,
    );
  }
  for (const d of plan?.devices.filter((d) => d.kind === "moved") ?? []) {
    actions.push(
      `${code(d.owner)} must log in to WARP on ${code(d.serial)} with their own email; until then the device still carries ${code(d.from ?? "")}'s enrolment.`,
    );
  }
  return actions;
}

export function listPeople(emails: string[]): string {
  const shown = emails.slice(0, 10).map(code);
  return emails.length > 10 ? `${shown.join(", ")} and ${emails.length - 10} more` : shown.join(", ");
}

export function checkLines(plan: Plan): string[] {
  const lines: string[] = [];
  if (plan.expiringSoon.length > 0) {
    lines.push(
      `**Access ends within 14 days (${plan.expiringSoon.length})**: extend \`expires\` if they still need access.`,
      "",
    );
    lines.push(
      ...table(
        ["User", "Last day", "Left"],
        plan.expiringSoon.map((u) => [who(u), u.expires, daysLeftText(u.daysLeft)]),
      ),
      "",
    );
  }
  if (plan.withoutDevice.length > 0) {
    lines.push(
      `**No registered device (${plan.withoutDevice.length})**: they cannot pass the device check, so they cannot get in until a serial is added.`,
      "",
    );
    lines.push(...plan.withoutDevice.map((u) => `- ${who(u)}`), "");
  }
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function engineSection(engine: NonNullable<RenderOptions["engine"]>): string[] {
  if ("error" in engine) {
    return [
      "### Engine preview",
      "",
      `The engine preview did not run to completion: ${esc(engine.error)} (details in the workflow log).`,
    ];
  }
  const f = engine.findings;
  const c = f.counts;
  const lines = [
    "### Engine preview",
    "",
    "| Create | Update | Replace | Delete | Unchanged |",
    "| ---: | ---: | ---: | ---: | ---: |",
    `| ${c.create} | ${c.update} | ${c.replace} | ${c.delete} | ${c.same} |`,
    "",
  ];
  if (f.revocations.length > 0) {
    const users = f.revocations.filter((r) => r.kind === "user").map((r) => code(r.subject));
    const devices = f.revocations.filter((r) => r.kind === "device").map((r) => code(r.subject));
    lines.push(
      `Revocations the apply runs: ${[users.length ? `sessions and registrations of ${users.join(", ")}` : "", devices.length ? `registrations of device${devices.length === 1 ? "" : "s"} ${devices.join(", ")}` : ""].filter(Boolean).join("; ")}.`,
      "",
    );
  }
  if (f.firstDeployment) lines.push("First deployment: every resource is created.", "");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
