import { readFileSync } from "node:fs";
import { checkUsers } from "./check";
import { parseUsersText } from "./parse";
import { InputError, Problem } from "./problems";
import { DesiredState, isoDay } from "../model/desired";

export type Loaded = { state: DesiredState; problems: [] } | { state?: undefined; problems: Problem[] };

/** users.yaml text -> DesiredState, or every problem found. `file` is the name used in messages. */
export function loadUsersText(text: string, file: string, today: string = isoDay(new Date())): Loaded {
  const parsed = parseUsersText(text, file);
  if (!parsed.positions || parsed.data === undefined) return { problems: parsed.problems };
  const checked = checkUsers(parsed.data, parsed.positions, file, today);
  const problems = [...parsed.problems, ...checked.problems];
  return checked.state && problems.length === 0 ? { state: checked.state, problems: [] } : { problems };
}

export function loadUsersFile(path: string, options: { displayName?: string; today?: string } = {}): Loaded {
  const file = options.displayName ?? path;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (error as Error).message;
    return { problems: [{ file, line: 1, col: 1, message: `cannot read ${path}: ${reason}` }] };
  }
  return loadUsersText(text, file, options.today);
}

/** For callers that must stop on bad input (the Pulumi program): throws every problem at once. */
export function requireUsersFile(
  path: string,
  options: { displayName?: string; today?: string } = {},
): DesiredState {
  const loaded = loadUsersFile(path, options);
  if (!loaded.state) throw new InputError(loaded.problems);
  return loaded.state;
}
