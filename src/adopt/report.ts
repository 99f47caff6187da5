import type { Adoption, Report } from "./map";

// The adopt report in the admin's words: what was found, what the stack will manage, what the first
// apply will change, and what adopt did not understand (kept unmanaged, or the reason it refused).

const section = (title: string, lines: readonly string[], empty: string) => [
  title,
  ...(lines.length ? lines.map((l) => `  - ${l}`) : [`  - ${empty}`]),
];

export function formatReport(report: Report): string[] {
  return [
    ...section("Found in the account:", report.found, "nothing"),
    ...section("Will be managed by the stack:", report.managed, "nothing"),
    ...section("Will change at the first apply:", report.changes, "nothing"),
    ...section("Not understood (left alone, never removed):", report.notUnderstood, "nothing"),
  ];
}

export function formatAdoption(
  a: Adoption,
  files: { users: string; stack: string; record: string },
  dryRun: boolean,
): string[] {
  const devices = a.users.reduce((n, u) => n + u.devices.length, 0);
  return [
    `Adopted for stack ${a.record.stack}: ${a.users.length} user(s), ${devices} device(s), sessions app ${a.sessions.app}, WARP ${a.sessions.warp}.`,
    ...formatReport(a.report),
    `Imported by the next up (no object is created twice): ${a.record.imports.map((i) => i.what).join(", ")}.`,
    ...(a.record.retire.length
      ? [
          `Deleted after the next up succeeds, once nothing refers to them: ${a.record.retire.map((r) => r.what).join(", ")}.`,
        ]
      : []),
    dryRun
      ? `--dry-run: nothing was written (${files.users}, ${files.stack} and ${files.record} would be).`
      : `Wrote ${files.users}, ${files.stack} (comments kept) and ${files.record}. Review them (git diff), then \`npm run preview -- --stack ${a.record.stack}\` and commit.`,
  ];
}
