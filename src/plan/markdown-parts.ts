import { humanDuration } from "../model/sessions";
import { formatProblem } from "../diagnostics/problems";
import { DeviceChange, Plan } from "./diff";
import { PortalChange, portalChangeWords } from "./diff-portal";
import { OVERRIDES, Refusal } from "./guards";
import { code, osName, plural } from "./markdown-text";

// Parts of the plan comment: the critical banner, refusals, the summary line, device rows, session text.

export function criticalText(
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

export function refusalLines(r: Refusal): string[] {
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

export function summaryLine(plan: Plan, blocking: number): string {
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
    plan.portal?.length ? "group and application access changes" : "",
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

export function deviceRow(d: DeviceChange): string[] {
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

export function sessionText(which: "app" | "warp", from: number, to: number, active: number): string {
  const everyone = `all ${plural(active, "active user")}`;
  if (which === "app") {
    const head = `App session (OTP re-auth): ${humanDuration(from)} → ${humanDuration(to)}.`;
    return to < from
      ? `${head} **Shorter**: signs people out sooner; ${everyone} will be asked for a new OTP code every ${humanDuration(to)}.`
      : `${head} Longer: ${everyone} stay signed in for up to ${humanDuration(to)} between OTP codes.`;
  }
  return `WARP session (network): ${humanDuration(from)} → ${humanDuration(to)}. ${everyone[0].toUpperCase()}${everyone.slice(1)} must disconnect and reconnect WARP to pick it up.`;
}

const PORTAL_HEADINGS: [string, PortalChange["kind"][]][] = [
  ["Groups", ["joins", "leaves", "group-added", "group-removed", "login-changed"]],
  [
    "Applications",
    ["app-added", "app-removed", "allow-added", "allow-removed", "device-required", "device-dropped"],
  ],
  ["Service tokens", ["token-added", "token-removed", "token-reaches", "token-loses", "token-duration"]],
];

/** Who joins or leaves which group, what each app admits, which tokens reach what. */
export function portalSection(changes: readonly PortalChange[]): string[] {
  const out: string[] = [`### Groups and applications (${changes.length})`, ""];
  for (const [heading, kinds] of PORTAL_HEADINGS) {
    const mine = changes.filter((c) => kinds.includes(c.kind));
    if (mine.length === 0) continue;
    out.push(`**${heading}**`, "", ...mine.map((c) => `- ${portalChangeWords(c, code)}`), "");
  }
  out.pop();
  return out;
}
