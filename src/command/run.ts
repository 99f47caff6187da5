import { CliError } from "./error";
import { EXIT } from "./exit";
import { Invocation, Options, Parsed, parseCommandLine } from "./flags";
import { createOutput, Output, processSink, SECRET_ENV, Sink } from "./output";

// One way to write a command: a plain `(args, env) => Promise<exit code>` function with its help and
// flags, run by `runCommand`, which parses the flags, answers --help, prints a CliError as its one line
// with its exit code and anything else as an unexpected error (exit 70), and never throws or exits.

/** What a command needs from the outside world, injected so tests run every command in-process. */
export interface CommandEnv {
  /** Where Pulumi.yaml, Pulumi.<stack>.yaml and users.yaml live (--project-dir overrides it). */
  projectDir: string;
  env: Readonly<Record<string, string | undefined>>;
  output: Output;
  /** The clock (expiry, log windows); tests pin it. */
  now?: () => Date;
  /** SDK tuning; the CLI keeps the client factory's defaults (4 retries with backoff, 30 s timeout). */
  clientOptions?: { maxRetries?: number; timeoutMs?: number };
  /** The docker CLI doctor runs (default: `docker` on PATH). */
  dockerCommand?: string;
}

/** The environment an entry point hands over: the sink is wrapped into the redacting Output here. */
export type EntryEnv = Omit<CommandEnv, "output"> & { output: Sink };

export interface Command<O extends Options = Options> extends Invocation {
  help: string;
  options: O;
  /** How many positional arguments it takes (default none). */
  positionals?: number;
  run(args: Parsed<O>, env: CommandEnv): Promise<number>;
}

/** Builds a command with its option types inferred from `options`. */
export const command = <O extends Options>(spec: Command<O>): Command<O> => spec;

export const now = (env: Pick<CommandEnv, "now">): Date => (env.now ? env.now() : new Date());

/** The token variable named on the command line, so its value is kept out of every line printed. */
function tokenEnvOf(argv: readonly string[]): string | undefined {
  const i = argv.findIndex((a) => a === "--token-env" || a.startsWith("--token-env="));
  if (i < 0) return undefined;
  return argv[i].includes("=") ? argv[i].slice("--token-env=".length) : argv[i + 1];
}

/** The Output of one run: every secret the environment holds is registered before anything prints. */
export function outputFor(argv: readonly string[], env: EntryEnv | CommandEnv): Output {
  const named = tokenEnvOf(argv);
  const secrets = [...SECRET_ENV, ...(named ? [named] : [])].map((k) => env.env[k]);
  if ("secret" in env.output) {
    secrets.forEach((s) => (env.output as Output).secret(s));
    return env.output as Output;
  }
  return createOutput(env.output, secrets);
}

/** Prints a failure as the table says: a CliError as written, anything else as one unexpected-error line. */
export function report(error: unknown, name: string, env: Pick<CommandEnv, "output" | "env">): number {
  const { output } = env;
  if (error instanceof CliError) {
    const root = name.split(" ")[0];
    const own = error.message.startsWith(`${root} `) || error.message.startsWith(`${root}:`);
    output.err(own ? error.message : `${name}: ${error.message}`);
    for (const line of error.details) output.err(`  ${line}`);
    return error.exitCode;
  }
  const e = error as Error;
  output.err(
    `${name}: unexpected error: ${e?.message ?? String(error)} (run with ZT_DEBUG=1 for the stack trace, and report it)`,
  );
  if (env.env.ZT_DEBUG) output.err(String(e?.stack ?? error));
  return EXIT.internal;
}

/** Runs one command line; never throws, never exits the process. */
export async function runCommand<O extends Options>(
  cmd: Command<O>,
  argv: readonly string[],
  entry: EntryEnv | CommandEnv,
): Promise<number> {
  const env: CommandEnv = { ...entry, output: outputFor(argv, entry) };
  try {
    const args = parseCommandLine(cmd, argv, cmd.options, cmd.positionals ?? 0);
    if (args.values.help) {
      env.output.out(cmd.help);
      return EXIT.ok;
    }
    return await cmd.run(args, env);
  } catch (error) {
    return report(error, cmd.name, env);
  }
}

/** The process's environment for an entry point: real streams, the working directory. */
export function processEnv(vars: NodeJS.ProcessEnv = process.env, sink: Sink = processSink): EntryEnv {
  return { projectDir: process.cwd(), env: vars, output: sink };
}

/** An entry file's exported `main`: the command on argv, in the process's environment unless given one. */
export function mainOf<O extends Options>(cmd: Command<O>) {
  return (argv: string[], entry: EntryEnv = processEnv()) => runCommand(cmd, argv, entry);
}

/** The process entry of an npm script: runs `cmd` (or a dispatching `main`) on argv, sets the exit code. */
export function runEntry<O extends Options>(
  cmd: Command<O> | ((argv: string[], env: EntryEnv) => Promise<number>),
): void {
  const run = typeof cmd === "function" ? cmd : mainOf(cmd);
  void run(process.argv.slice(2), processEnv()).then((code) => {
    process.exitCode = code;
  });
}
