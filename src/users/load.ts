import { readFileSync } from "node:fs";
import { checkUsers, CheckOptions } from "./check";
import { decodeUsersBytes } from "./encoding";
import { parseUsersText } from "./parse";
import { InputError, Problem } from "./problems";
import { DesiredState, isoDay } from "../model/desired";

export type Loaded = { state: DesiredState; problems: [] } | { state?: undefined; problems: Problem[] };

export type LoadOptions = CheckOptions & { displayName?: string; today?: string };

/**
 * users.yaml -> DesiredState, or every problem found. `file` is the name used in messages. Bytes are
 * decoded here (UTF-8 only, with one clear problem otherwise); text is taken as already decoded.
 */
export function loadUsersText(
  input: string | Uint8Array,
  file: string,
  today: string = isoDay(new Date()),
  options: CheckOptions = {},
): Loaded {
  let text: string;
  if (typeof input === "string") text = input;
  else {
    const decoded = decodeUsersBytes(input, file);
    if ("problem" in decoded) return { problems: [decoded.problem] };
    text = decoded.text;
  }
  const parsed = parseUsersText(text, file);
  if (!parsed.positions || parsed.typed === undefined) return { problems: parsed.problems };
  const checked = checkUsers(
    { value: parsed.value, typed: parsed.typed, positions: parsed.positions, earlier: parsed.problems },
    file,
    today,
    options,
  );
  const problems = [...parsed.problems, ...checked.problems];
  return checked.state && problems.length === 0 ? { state: checked.state, problems: [] } : { problems };
}

export function loadUsersFile(path: string, options: LoadOptions = {}): Loaded {
  const file = options.displayName ?? path;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (error as Error).message;
    return { problems: [{ file, line: 1, col: 1, message: `cannot read ${path}: ${reason}` }] };
  }
  return loadUsersText(bytes, file, options.today, options);
}

/** For callers that must stop on bad input (the Pulumi program): throws every problem at once. */
export function requireUsersFile(path: string, options: LoadOptions = {}): DesiredState {
  const loaded = loadUsersFile(path, options);
  if (!loaded.state) throw new InputError(loaded.problems);
  return loaded.state;
}
