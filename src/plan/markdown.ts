import { humanDuration } from "../model/sessions";
import { formatProblem } from "../users/problems";
import { DeviceChange, Plan, PlanUser } from "./diff";
import { EngineFindings } from "./engine";
import { OVERRIDES, Refusal } from "./guards";

// The pull-request comment: what the change does to people, in the admin runbook's words, so a reviewer
// can approve it at a glance. The first line is a hidden marker the workflow uses to update one comment
// in place instead of adding a new one per push.

export const PLAN_MARKER = "<!-- zt-gitops-plan -->";

/** Longer tables fold into <details>, so the summary stays on the first screen. */
const FOLD_AFTER = 25;

export interface RenderOptions {
  /** The engine's preview, when it ran (`npm run plan -- --engine`). */
  engine?: { findings: EngineFindings; refusals: Refusal[] } | { error: string };
  /** The command line that produced the plan, for the footer. */
  command?: string;
}

/** Markdown for free text from users.yaml (names, labels): no table breaks, links, HTML or mentions. */
export function esc(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~@]/g, (c) => `\\${c}`).replace(/\s+/g, " ");
}

const code = (s: string) => `\`${s}\``;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const who = (u: { email: string; name?: string }) => `${code(u.email)}${u.name ? ` (${esc(u.name)})` : ""}`;
const osName = (os: string | undefined) => os ?? "any OS";
const deviceList = (u: PlanUser) =>
  u.devices.length === 0
    ? "none"
    : `${u.devices.length}: ${u.devices.map((d) => `${code(d.serial)} (${osName(d.os)})`).join(", ")}`;

function table(header: string[], rows: string[][]): string[] {
  const lines = [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
  if (rows.length <= FOLD_AFTER) return lines;
  return [`<details><summary>${rows.length} rows</summary>`, "", ...lines, "", "</details>"];
}

function daysLeftText(days: number): string {
  if (days < 0) return "already past";
  if (days === 0) return "today is the last day";
  if (days === 1) return "1 day left";
  return `${days} days left`;
}

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
      "Their email is added to the Access policy and their serial numbers to the device posture rule; access is granted as soon as both are registered.",
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

function cell(v: string | undefined): string {
  if (v === undefined) return "(not set)";
  const short = v.length > 60 ? `${v.slice(0, 57)}...` : v;
  return code(short.replace(/`/g, "'").replace(/\|/g, "\\|"));
}

function criticalText(
  kind: "tunnel" | "application" | "policy",
  op: "replace" | "delete",
  name: string,
): string {
  const verb = op === "replace" ? "REPLACE" : "DELETE";
  switch (kind) {
    case "tunnel":
      return `The engine would ${verb} the tunnel (${code(name)}): ${op === "replace" ? "it gets a new ID and token, so every cloudflared connector must be restarted with the new token" : "cloudflared loses its tunnel"}; nobody can reach the application until then.`;
    case "application":
      return `The engine would ${verb} the Access application ${code(name)}: ${op === "replace" ? "it gets a new ID and AUD tag, so everyone must sign in again" : "its hostname is no longer protected by this Access application"}.`;
    case "policy":
      return `The engine would ${verb} the Access policy ${code(name)}: while it happens the applications have no Allow policy and admit nobody${op === "replace" ? "; everyone may have to sign in again" : ""}.`;
  }
}

function refusalLines(r: Refusal): string[] {
  const lines: string[] = [];
  const override = r.override ? OVERRIDES[r.override] : undefined;
  if (r.overridden && override)
    lines.push(`- ~~${r.message}~~ Allowed by the ${code(override.label)} override.`);
  else if (override)
    lines.push(
      `- ${r.message} To apply it anyway, add the ${code(override.label)} label to the pull request.`,
    );
  else lines.push(`- ${r.message}`);
  if (r.problems?.length) {
    const sorted = [...r.problems].sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
    );
    lines.push("", "  ```text", ...sorted.map((p) => `  ${formatProblem(p)}`), "  ```");
  }
  return lines;
}

function summaryLine(plan: Plan, blocking: number): string {
  const revokedDevices =
    [...plan.removed, ...plan.expiredSinceBase].reduce((n, u) => n + u.devices.length, 0) +
    plan.devices.filter((d) => d.kind === "removed").length;
  const parts = [
    plan.added.length ? `${plural(plan.added.length, "user")} added` : "",
    plan.restored.length ? `${plural(plan.restored.length, "user")} restored` : "",
    plan.removed.length ? `${plural(plan.removed.length, "user")} removed` : "",
    plan.expiredSinceBase.length ? `${plural(plan.expiredSinceBase.length, "user")} expired` : "",
    plan.devices.filter((d) => d.kind === "added").length
      ? `${plural(plan.devices.filter((d) => d.kind === "added").length, "device")} added`
      : "",
    plan.devices.filter((d) => d.kind === "moved").length
      ? `${plural(plan.devices.filter((d) => d.kind === "moved").length, "device")} moved`
      : "",
    revokedDevices ? `${plural(revokedDevices, "device registration")} revoked` : "",
    plan.sessions.length ? "session lengths change" : "",
    plan.config.length || plan.configNew ? "stack settings change" : "",
  ].filter(Boolean);
  const joined = parts.join(" · ");
  const what =
    plan.currentSessions === undefined
      ? "Nothing to compare until the input validates"
      : parts.length
        ? `${joined[0].toUpperCase()}${joined.slice(1)}`
        : "No change to who has access";
  const after =
    plan.counts.headActive || plan.added.length
      ? ` → ${plural(plan.counts.headActive, "active user")}, ${plural(plan.counts.headDevices, "device")}`
      : "";
  const verdict =
    blocking > 0
      ? `**Refused** (${plural(blocking, "reason")} above).`
      : "**Nothing refused**: merging applies it.";
  return `**${what}**${after}. ${verdict}`;
}

function deviceRow(d: DeviceChange): string[] {
  const dev = `${code(d.serial)} (${osName(d.os)})`;
  switch (d.kind) {
    case "added":
      return [
        "added",
        dev,
        code(d.owner),
        "Serial added to the device posture rule. Ask them to install WARP on it and enrol.",
      ];
    case "removed":
      return [
        "removed",
        dev,
        code(d.owner),
        "Serial removed from the device posture rule; its WARP registration is revoked (a lost or retired device can no longer connect).",
      ];
    case "moved":
      return [
        "moved",
        dev,
        `${code(d.from ?? "")} → ${code(d.owner)}`,
        `Now registered to ${code(d.owner)}; they must log in to WARP on it with their own email (re-enrol).`,
      ];
    case "os-changed":
      return [
        "OS changed",
        dev,
        code(d.owner),
        `Accepted on ${osName(d.os)} instead of ${osName(d.fromOs)}.`,
      ];
    case "respelled":
      return [
        "serial rewritten",
        dev,
        code(d.owner),
        `Written ${code(d.fromSerial ?? "")} before; check it matches the device's serial number exactly.`,
      ];
  }
}

function sessionText(which: "app" | "warp", from: number, to: number, active: number): string {
  const everyone = `all ${plural(active, "active user")}`;
  if (which === "app") {
    const head = `App session (OTP re-auth): ${humanDuration(from)} → ${humanDuration(to)}.`;
    return to < from
      ? `${head} **Shorter**: signs people out sooner; ${everyone} will be asked for a new OTP code every ${humanDuration(to)}.`
      : `${head} Longer: ${everyone} stay signed in for up to ${humanDuration(to)} between OTP codes.`;
  }
  return `WARP session (network): ${humanDuration(from)} → ${humanDuration(to)}. ${everyone[0].toUpperCase()}${everyone.slice(1)} must disconnect and reconnect WARP to pick it up.`;
}

/** What people must do once the change is live (also printed by `npm run apply`, where there may be no plan). */
export function afterApply(
  plan: Plan | undefined,
  engine: EngineFindings | undefined,
  activeUsers = plan?.counts.headActive ?? 0,
): string[] {
  const actions: string[] = [];
  const team = plan?.teamName ? `, team name ${code(plan.teamName)}` : "";
  const newcomers = plan ? [...plan.added, ...plan.restored] : [];
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

function listPeople(emails: string[]): string {
  const shown = emails.slice(0, 10).map(code);
  return emails.length > 10 ? `${shown.join(", ")} and ${emails.length - 10} more` : shown.join(", ");
}

function checkLines(plan: Plan): string[] {
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

function engineSection(engine: NonNullable<RenderOptions["engine"]>): string[] {
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
