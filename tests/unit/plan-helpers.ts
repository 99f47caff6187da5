import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { diffPlan, Plan } from "../../src/plan/diff";
import { parseSide, PlanSide } from "../../src/plan/inputs";
import { rewriteGoldens } from "./helpers/golden";
import { TODAY } from "./helpers/users";

// Shared by the plan-*.test.ts files: both sides of a plan built from inline text (no Git, no files),
// and golden Markdown comparisons. Refresh the golden files after an intended wording change with
//
//   UPDATE_GOLDEN=1 npx vitest run --project unit tests/unit/plan-
//
// then read the diff of tests/unit/golden/ before committing it: the goldens are the review.

export const GOLDEN_DIR = join(__dirname, "golden");
export const FIXTURES_DIR = join(__dirname, "plan-fixtures");

/** A valid stack file like Pulumi.local.yaml; `overrides` replace or add values (YAML text after the key). */
export function stackYaml(overrides: Record<string, string> = {}): string {
  const values: Record<string, string> = {
    "zt:accountId": "5e1f0c2a9b7d4e3f8a6c1b2d3e4f5a6b",
    "zt:zoneId": "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f",
    "zt:teamName": "example-org",
    "zt:tunnelName": "ocs-tunnel",
    "zt:apps":
      "\n    - name: Open Chat Studio\n      hostname: ocs.example.org\n      service: http://ocs-web:8000",
    "zt:privateNetwork":
      "\n    cidr: 172.18.0.0/16\n    internalDomain: ocs.internal\n    dnsmasqAddress: 172.18.0.53\n    hosts:\n      ocs.internal: 172.18.0.7",
    "zt:connector": "\n    enabled: false",
    ...overrides,
  };
  return (
    "config:\n" +
    Object.entries(values)
      .map(([k, v]) => `  ${k}: ${v}`)
      .join("\n") +
    "\n"
  );
}

export interface SideSpec {
  users?: string;
  stack?: string;
  day?: string;
  label?: string;
}

export function side(spec: SideSpec, fallbackLabel: string): PlanSide {
  return parseSide({
    label: spec.label ?? fallbackLabel,
    day: spec.day ?? TODAY,
    usersFile: "users.yaml",
    usersText: spec.users,
    stackFile: "Pulumi.prod.yaml",
    stackText: spec.stack,
  });
}

export const BASE_LABEL = "`origin/main` (1a2b3c4)";
export const HEAD_LABEL = "this change";

/** diffPlan over two sides given as text; the stack file defaults to the same valid one on both sides. */
export function planOf(base: SideSpec, head: SideSpec, opts: { allowMassRemoval?: boolean } = {}): Plan {
  return diffPlan(
    side({ stack: stackYaml(), day: "2026-11-01", ...base }, BASE_LABEL),
    side({ stack: stackYaml(), ...head }, HEAD_LABEL),
    { stack: "prod", allowMassRemoval: opts.allowMassRemoval ?? false },
  );
}

/** Compares with tests/unit/golden/<name>.md, or rewrites it when UPDATE_GOLDEN=1 (never on CI). A missing file fails. */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, `${name}.md`);
  if (rewriteGoldens()) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    expect.fail(`golden file ${file} does not exist: create it with UPDATE_GOLDEN=1 and review it`);
  }
  expect(actual, `differs from ${file} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, "utf8"));
}

/** The team of the example users.yaml, as a base (also what the engine fixtures were recorded with). */
export const TEAM = readFileSync(join(FIXTURES_DIR, "team.yaml"), "utf8");

/** TEAM with `edit` applied: text replacements, each of which must match (a silent no-op would test nothing). */
export function edit(text: string, ...pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`edit: ${JSON.stringify(from)} not found`);
    out = out.replace(from, to);
  }
  return out;
}

/** Removes the user block starting with `- email: EMAIL` (up to the next user). */
export function withoutUser(text: string, email: string): string {
  const re = new RegExp(`  - email: ${email.replace(/[.]/g, "\\.")}\\n(?:    .*\\n|      .*\\n)*`);
  if (!re.test(text)) throw new Error(`withoutUser: ${email} not found`);
  return text.replace(re, "");
}
