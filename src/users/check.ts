import { Problem } from "./problems";
import { Positions } from "./positions";
import { RuleName, RULES } from "./rules";
import { Salvaged } from "./salvage";
import { UsersFile } from "./schema";
import { failureMessage, runAccessTests } from "../model/access-tests";
import { DesiredState, desiredStateFrom } from "../model/desired";

// Runs the rule table over the typed file and, when nothing at all was found, builds the DesiredState
// from the schema's own output (never from raw YAML data).

export interface CheckInput {
  /** The schema's output, when the whole file passed it. */
  value?: UsersFile;
  /** Every field that passed its own schema (the same as `value` when the whole file did). */
  typed: Salvaged<UsersFile>;
  positions: Positions;
  /** Problems found before the rules (characters, YAML, schema). */
  earlier: readonly Problem[];
}

export interface CheckOptions {
  /** Rules not to run, e.g. the plan reports "lockout" as a refusal of its own. */
  skip?: readonly RuleName[];
}

export function checkUsers(
  input: CheckInput,
  file: string,
  today: string,
  options: CheckOptions = {},
): { state?: DesiredState; problems: Problem[] } {
  const { positions } = input;
  const problems: Problem[] = [];
  for (const rule of RULES) {
    if (options.skip?.includes(rule.name)) continue;
    const located = {
      at: (path: readonly PropertyKey[], message: string): Problem => ({
        file,
        ...positions.of(path),
        message,
        rule: rule.name,
      }),
      atKey: (path: readonly PropertyKey[], key: string, message: string): Problem => ({
        file,
        ...positions.ofKey(path, key),
        message,
        rule: rule.name,
      }),
      line: (path: readonly PropertyKey[]) => positions.of(path).line,
      written: (path: readonly PropertyKey[]) => positions.node(path) !== undefined,
    };
    const clean = input.earlier.length === 0 && problems.length === 0;
    problems.push(...rule.check({ file: input.typed, today, clean }, located));
  }
  if (problems.length > 0 || input.earlier.length > 0 || !input.value) return { problems };
  const state = desiredStateFrom(input.value, positions, today);
  // The access tests need the whole model, so they run once everything else holds; a failing test
  // refuses the file like a lockout (the admin wrote down what must stay true).
  const failed = runAccessTests(state)
    .filter((r) => !r.pass)
    .map((r): Problem => ({
      file,
      line: r.test.line,
      col: r.test.col ?? 1,
      message: failureMessage(r),
      rule: "access-test",
    }));
  return failed.length ? { problems: failed } : { state, problems };
}
