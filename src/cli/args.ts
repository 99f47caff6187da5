import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { isoDay } from "../model/desired";

// What the GitOps commands (plan, apply, drift) do alike with their flags: bad flags and --help, and
// where the project is, which stack, and the day expiry is evaluated on.

/** The flags every GitOps command takes; spread into its parseArgs options. */
export const COMMON_OPTIONS = {
  stack: { type: "string" },
  today: { type: "string" },
  "project-dir": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** The guard overrides plan and apply both take (see activeOverrides in src/plan/guards.ts). */
export const OVERRIDE_OPTIONS = {
  "allow-mass-removal": { type: "boolean", default: false },
  "allow-tunnel-replace": { type: "boolean", default: false },
} as const;

/** Entry point of a command module: exit code from `main`, a stack trace only for the unexpected. */
export function runMain(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

/** Runs the command's own parseArgs; on bad flags prints them with the help and returns exit 2. */
export function parseFlags<T extends { values: { help?: boolean } }>(
  parse: () => T,
  help: string,
): T["values"] | number {
  let values: T["values"];
  try {
    values = parse().values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  if (values.help) {
    console.log(help);
    return 0;
  }
  return values;
}

export interface Common {
  dir: string;
  /** prod when Pulumi.prod.yaml exists, else local. */
  stack: string;
  today: string;
}

/** --project-dir, --stack and --today, checked; a number is the exit code for a bad value. */
export function commonSettings(values: {
  stack?: string;
  today?: string;
  "project-dir"?: string;
}): Common | number {
  const dir = resolve(values["project-dir"] ?? process.cwd());
  const today = values.today ?? isoDay(new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    console.error(`--today must be YYYY-MM-DD, got ${today}`);
    return 2;
  }
  const stack = values.stack ?? (existsSync(join(dir, "Pulumi.prod.yaml")) ? "prod" : "local");
  return { dir, stack, today };
}
