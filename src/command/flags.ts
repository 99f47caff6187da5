import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "./error";
import { EXIT } from "./exit";

// The flags, defined once: every command takes --help and picks the shared flags it uses from FLAGS
// (so --stack means the same everywhere), then adds its own. Parsing is node's parseArgs in strict
// mode; its errors become one usage line (exit 64) that points at the command's --help.

export type Options = NonNullable<ParseArgsConfig["options"]>;

export const FLAGS = {
  help: { type: "boolean", short: "h" },
  stack: { type: "string" },
  json: { type: "boolean" },
  "project-dir": { type: "string" },
  today: { type: "string" },
  "token-env": { type: "string" },
  "allow-mass-removal": { type: "boolean" },
  "allow-tunnel-replace": { type: "boolean" },
} as const satisfies Options;

export type FlagName = keyof typeof FLAGS;

/** The shared flags a command takes (--help always), to spread into its options. */
export function flags<const N extends FlagName>(...names: N[]): Pick<typeof FLAGS, N | "help"> {
  const picked: Record<string, unknown> = { help: FLAGS.help };
  for (const n of names) picked[n] = FLAGS[n];
  return picked as Pick<typeof FLAGS, N | "help">;
}

export interface Parsed<O extends Options> {
  values: { [K in keyof O]?: O[K] extends { type: "boolean" } ? boolean : string };
  positionals: string[];
}

/** What a command is called in messages ("plan", "zt doctor") and how it is run ("npm run plan --"). */
export interface Invocation {
  name: string;
  script: string;
}

export function parseCommandLine<O extends Options>(
  who: Invocation,
  argv: readonly string[],
  options: O,
  maxPositionals = 0,
): Parsed<O> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    // "Unknown option '--emial'. To specify a positional argument starting with a '-', ..." -> first sentence.
    const message = (error as Error).message.split(/\.\s/)[0].replace(/\.$/, "");
    throw new CliError(`${who.name}: ${message}; see ${who.script} --help`, EXIT.usage);
  }
  if (!parsed.values.help && parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals.slice(maxPositionals).join(" ");
    throw new CliError(`${who.name}: unexpected argument ${extra}; see ${who.script} --help`, EXIT.usage);
  }
  return parsed as Parsed<O>;
}

/** "14" -> 14, with a usage error naming the flag otherwise. */
export function positiveInt(name: string, flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 100_000) {
    throw new CliError(
      `${name}: --${flag} must be a whole number of days, e.g. --${flag} 14 (got "${value}")`,
      EXIT.usage,
    );
  }
  return Number(value);
}

/** --project-dir, absolute (default: the directory the command runs in). */
export const projectDirOf = (values: { "project-dir"?: string }, fallback: string) =>
  resolve(values["project-dir"] ?? fallback);

/** --stack, checked; `fallback` "prod-if-present" is prod when Pulumi.prod.yaml exists, else local. */
export function stackOf(
  values: { stack?: string },
  dir: string,
  fallback: "local" | "prod" | "prod-if-present",
): string {
  const stack =
    values.stack ??
    (fallback === "prod-if-present"
      ? existsSync(join(dir, "Pulumi.prod.yaml"))
        ? "prod"
        : "local"
      : fallback);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack))
    throw new CliError(`--stack must be a stack name such as local or prod (got "${stack}")`, EXIT.usage);
  return stack;
}

/** --today, checked (default: today, UTC). */
export function todayOf(values: { today?: string }, now: Date): string {
  const today = values.today ?? now.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today))
    throw new CliError(`--today must be YYYY-MM-DD, got ${today}`, EXIT.usage);
  return today;
}
