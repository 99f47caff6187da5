import { PlanUser } from "./diff";

// Markdown building blocks of the plan comment: escaping, names, tables.

/** Longer tables fold into <details>, so the summary stays on the first screen. */
const FOLD_AFTER = 25;

/** Markdown for free text from users.yaml (names, labels): no table breaks, links, HTML or mentions. */
export function esc(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~@]/g, (c) => `\\${c}`).replace(/\s+/g, " ");
}

export const code = (s: string) => `\`${s}\``;
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
export const who = (u: { email: string; name?: string }) =>
  `${code(u.email)}${u.name ? ` (${esc(u.name)})` : ""}`;
export const osName = (os: string | undefined) => os ?? "any OS";
export const deviceList = (u: PlanUser) =>
  u.devices.length === 0
    ? "none"
    : `${u.devices.length}: ${u.devices.map((d) => `${code(d.serial)} (${osName(d.os)})`).join(", ")}`;

export function table(header: string[], rows: string[][]): string[] {
  const lines = [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
  if (rows.length <= FOLD_AFTER) return lines;
  return [`<details><summary>${rows.length} rows</summary>`, "", ...lines, "", "</details>"];
}

export function daysLeftText(days: number): string {
  if (days < 0) return "already past";
  if (days === 0) return "today is the last day";
  if (days === 1) return "1 day left";
  return `${days} days left`;
}

export function cell(v: string | undefined): string {
  if (v === undefined) return "(not set)";
  const short = v.length > 60 ? `${v.slice(0, 57)}...` : v;
  return code(short.replace(/`/g, "'").replace(/\|/g, "\\|"));
}
