import { expect } from "vitest";
import { DesiredState } from "../../../src/model/desired";
import { loadUsersText } from "../../../src/users/load";
import { formatProblems } from "../../../src/diagnostics/problems";

// Shared by the users.yaml unit tests: inline YAML in, exactly what `npm run validate` would print out.

/** The evaluation day of every test, so expiry never depends on the calendar. */
export const TODAY = "2026-11-23";
export const FILE = "users.yaml";

/**
 * Inline YAML without the indentation of the test code around it:
 *
 *   yaml`
 *     users:
 *       - email: a@example.org
 *   `  ->  "users:\n  - email: a@example.org\n"
 *
 * Line 1 of the result is the first line after the opening backtick, so LINE:COL in assertions
 * can be read off the test source. Interpolated values must not contain newlines.
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ""), "");
  const lines = text.split("\n");
  if (lines[0].trim() === "") lines.shift();
  if (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length),
  );
  return lines.map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join("\n") + "\n";
}

/** The problem lines `PATH:LINE:COL: message`, sorted as printed, without the count line. Fails if the file is valid. */
export function problemsOf(text: string, today = TODAY): string[] {
  const loaded = loadUsersText(text, FILE, today);
  if (loaded.state) expect.fail(`expected problems, but the file is valid:\n${text}`);
  expect(loaded.problems.length, "a failed load must report at least one problem").toBeGreaterThan(0);
  return formatProblems(loaded.problems).split("\n").slice(0, -1);
}

/** The single problem line of a file expected to have exactly one problem. */
export function problemOf(text: string, today = TODAY): string {
  const lines = problemsOf(text, today);
  expect(lines, "expected exactly one problem").toHaveLength(1);
  return lines[0];
}

/**
 * The DesiredState of a file expected to be valid; fails with the problems if it is not. Built as the
 * plan builds it, without the lockout rule (a state where nobody has a device is still a state; the
 * plan refuses it itself), so model tests can use one-user files with `devices: []`.
 */
export function stateOf(text: string, today = TODAY): DesiredState {
  const loaded = loadUsersText(text, FILE, today, { skip: ["lockout"] });
  if (!loaded.state) expect.fail(`expected a valid file, got:\n${formatProblems(loaded.problems)}`);
  return loaded.state;
}

/** A valid file with one user per email, no devices, default sessions. */
export function usersWithEmails(...emails: string[]): string {
  return ["users:", ...emails.flatMap((e) => [`  - email: ${e}`, "    devices: []"]), ""].join("\n");
}
