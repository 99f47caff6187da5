import { parseStackConfig } from "../config/load";
import { StackConfig } from "../config/schema";
import { stackValuesFromText } from "../config/stack-file";
import { DesiredState } from "../model/desired";
import { loadUsersText } from "../users/load";
import { Problem } from "../diagnostics/problems";

// One side of a plan (the base ref or the change under review) as parsed data. Reading files and Git
// happens in the CLI; from here on everything is a pure function of text, so every case is unit-testable.

export type UsersSide =
  { kind: "missing" } | { kind: "invalid"; problems: Problem[] } | { kind: "ok"; state: DesiredState };

export type ConfigSide =
  { kind: "missing" } | { kind: "invalid"; problems: Problem[] } | { kind: "ok"; config: StackConfig };

export interface PlanSide {
  /** What the reader sees: "origin/main (1a2b3c4)" or "this change". */
  label: string;
  /** The day `expires` is evaluated against on this side, YYYY-MM-DD. */
  day: string;
  usersFile: string;
  stackFile: string;
  users: UsersSide;
  config: ConfigSide;
}

export interface SideTexts {
  label: string;
  day: string;
  /** Name used in messages, e.g. "users.yaml". */
  usersFile: string;
  /** undefined: the file does not exist on this side. */
  /** Bytes as read (so a file saved as UTF-16 or Latin-1 is named as such), or text. */
  usersText?: string | Uint8Array;
  stackFile: string;
  stackText?: string;
  /**
   * Where the stack file is on disk, for LINE:COL in config messages (parseStackConfig reads it for
   * positions only). Leave out for a side that is not the working tree: messages then say line 1.
   */
  stackPathForPositions?: string;
}

export function parseSide(t: SideTexts): PlanSide {
  const users: UsersSide =
    t.usersText === undefined
      ? { kind: "missing" }
      : // A lockout is reported by the plan as a refusal of its own (guards.ts), from the same rule.
        toUsersSide(loadUsersText(t.usersText, t.usersFile, t.day, { skip: ["lockout"] }));
  return {
    label: t.label,
    day: t.day,
    usersFile: t.usersFile,
    stackFile: t.stackFile,
    users,
    config: parseConfig(t),
  };
}

function toUsersSide(loaded: ReturnType<typeof loadUsersText>): UsersSide {
  return loaded.state ? { kind: "ok", state: loaded.state } : { kind: "invalid", problems: loaded.problems };
}

function parseConfig(t: SideTexts): ConfigSide {
  if (t.stackText === undefined) return { kind: "missing" };
  let values: Record<string, unknown>;
  try {
    values = stackValuesFromText(t.stackText);
  } catch (error) {
    // A YAML error in the stack file: report it like any other problem instead of crashing the plan.
    const pos = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0] ?? { line: 1, col: 1 };
    const first = String((error as Error).message).split("\n")[0];
    return {
      kind: "invalid",
      problems: [{ file: t.stackFile, line: pos.line, col: pos.col, message: `YAML syntax error: ${first}` }],
    };
  }
  // "" names no file, so a side that is not on disk (a Git ref) gets line 1 rather than the positions of
  // the working tree's file, which may have moved.
  const { config, problems } = parseStackConfig(values, t.stackPathForPositions ?? "");
  const named = problems.map((p) => ({ ...p, file: t.stackFile }));
  return config ? { kind: "ok", config } : { kind: "invalid", problems: named };
}
