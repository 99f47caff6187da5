import { mdTable } from "./format";
import { StackInfo } from "./context";
import { appKey } from "./doctor/portal-checks";
import { PortalState } from "../model/portal";
import { AccountToken, tokenExpiries } from "../plan/token-expiry";

// zt review per group and application (portal mode): who is in each group and what it reaches, who may
// reach each application (and who needs a device there), and each service token's expiry. Pure.

export function portalReviewLines(
  portal: PortalState,
  stack: StackInfo,
  usersName: string,
  tokens: readonly AccountToken[],
  now: Date,
): string[] {
  const lines: string[] = ["", "## Groups", ""];
  lines.push(
    ...mdTable(
      ["Group", "Login", "Members", "Reaches", usersName],
      portal.groups.map((g) => [
        g.name,
        g.login === "otp" ? "one-time PIN" : "identity provider",
        g.members.length ? g.members.join(", ") : "nobody",
        portal.access
          .filter((a) => a.allow.includes(g.name))
          .map((a) => `${a.app}${a.devices.includes(g.name) ? " (device)" : ""}`)
          .join(", ") || "no app",
        `line ${g.line}`,
      ]),
    ),
  );
  lines.push("", "## Applications", "");
  lines.push(
    ...mdTable(
      ["Application", "Hostname", "Groups (device check)", "Service tokens", "People", usersName],
      portal.access.map((a) => {
        const app = stack.config.apps.find((x) => appKey(x) === a.app);
        const people = new Set(
          portal.groups.filter((g) => a.allow.includes(g.name)).flatMap((g) => g.members),
        );
        return [
          a.app,
          app?.hostname ?? "not in zt:apps",
          a.allow.map((g) => (a.devices.includes(g) ? `${g} (device)` : g)).join(", ") || "-",
          a.serviceTokens.join(", ") || "-",
          String(people.size),
          `line ${a.line}`,
        ];
      }),
    ),
  );
  if (portal.serviceTokens.length) {
    lines.push("", "## Service tokens", "");
    const expiry = tokenExpiries(
      portal.serviceTokens.map((t) => t.name),
      tokens,
      now,
      { stack: stack.name },
    );
    for (const e of expiry) {
      const apps = portal.access.filter((a) => a.serviceTokens.includes(e.token)).map((a) => a.app);
      lines.push(`- ${e.message}; reaches ${apps.join(", ") || "no app"}`);
    }
  }
  return lines;
}
