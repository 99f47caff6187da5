import type { EngineEvent } from "@pulumi/pulumi/automation";
import {
  CliError,
  Command,
  command,
  CommandEnv,
  EntryEnv,
  EXIT,
  flags,
  Parsed,
  outputFor,
  processEnv,
  report,
  runCommand,
  runEntry,
  stackOf,
} from "../command";
import { LOCAL_STACK } from "../engine/settings";
import { REPO_ROOT } from "../../toolchain/layout";

// npm run preview|up|refresh|destroy -- [flags]: the product's program through the real engine. The
// engine (Pulumi's automation API) and, on the local stack only, the emulator are loaded lazily: a
// prod run never loads the emulator (tests/unit/prod-path-loads-no-emulator.test.ts).
const HELP = `Usage: npm run <preview|up|refresh|destroy> -- [--stack NAME] [--json] [--refresh] [--expect-no-changes]

Runs the program in src/program.ts on the stack (default "${LOCAL_STACK}") with the Pulumi engine.
  --stack NAME          stack to use (default ${LOCAL_STACK}; other stacks need PULUMI_CONFIG_PASSPHRASE)
  --json                print a JSON result on stdout (progress goes to stderr; secret outputs redacted)
  --refresh             refresh state from Cloudflare first (preview, up)
  --expect-no-changes   preview: exit 2 and name the resources if anything would change
Backend: PULUMI_BACKEND_URL, else file://<project>/.pulumi-local. Cloudflare endpoint:
CLOUDFLARE_BASE_URL or cloudflare:baseUrl; token: CLOUDFLARE_API_TOKEN or cloudflare:apiToken.
Exit 0 on success, 1 on failure, 2 when --expect-no-changes finds changes, 64 for bad arguments.`;

const OPS = ["preview", "up", "refresh", "destroy"] as const;
type Op = (typeof OPS)[number];

const OPTIONS = {
  ...flags("stack", "json"),
  refresh: { type: "boolean" },
  "expect-no-changes": { type: "boolean" },
} as const;

/** One command per operation: `npm run preview`, `npm run up`, ... (the table in src/cli/commands.ts). */
export const ENGINE_COMMANDS = Object.fromEntries(
  OPS.map((op) => [
    op,
    command({
      name: op,
      script: `npm run ${op} --`,
      help: HELP,
      options: OPTIONS,
      run: ({ values }, env) => engine(op, values, env),
    }),
  ]),
) as Record<Op, Command<typeof OPTIONS>>;

/** `tsx src/cli/engine.ts <op> [flags]`: the npm scripts name the operation first. */
export async function main(argv: string[], entry: EntryEnv = processEnv()): Promise<number> {
  const [op, ...rest] = argv;
  const cmd = ENGINE_COMMANDS[op as Op];
  if (cmd) return runCommand(cmd, rest, entry);
  if (op === "--help" || op === "-h") return runCommand(ENGINE_COMMANDS.preview, ["--help"], entry);
  const usage = new CliError(
    `${op ? `unknown operation "${op}"` : "which operation?"}: one of ${OPS.join(", ")}; see npm run preview -- --help`,
    EXIT.usage,
  );
  return report(usage, "engine", { ...entry, output: outputFor(argv, entry) });
}

async function engine(op: Op, values: Parsed<typeof OPTIONS>["values"], env: CommandEnv): Promise<number> {
  const stackName = stackOf(values, REPO_ROOT, "local");
  const { output } = env;
  // With --json, stdout carries only the result.
  const progress = (text: string) => output.progress(text, values.json ? "err" : "out");
  const events: EngineEvent[] = [];
  // stderr is streamed too, so a failure's diagnostics are already on screen when we exit.
  const streams = {
    onOutput: progress,
    onError: (text: string) => output.progress(text, "err"),
    onEvent: (e: EngineEvent) => events.push(e),
  };

  // The local stack is the embedded default: it brings its emulator and token with it.
  const local = stackName === LOCAL_STACK ? await import("../engine/local") : undefined;
  const emulator = local ? await local.ensureLocalEmulator(REPO_ROOT) : undefined;
  if (emulator) progress(`Started the local Cloudflare API emulator on ${emulator.apiBase} for this run.\n`);
  // The inline program runs in this process, so it reads the token from this environment.
  const localEnv = local?.localStackEnv(stackName) ?? {};
  Object.assign(process.env, localEnv);
  Object.values(localEnv).forEach(output.secret);
  const [
    { CommandError },
    { ToolchainMissingError },
    { EngineSetupError, openStack, shortUrn, summarizeChanges },
  ] = await Promise.all([
    import("@pulumi/pulumi/automation"),
    import("../../toolchain/paths"),
    import("../engine"),
  ]);
  let streaming = false;
  try {
    const { program } = await import("../program");
    const projectDir = REPO_ROOT;
    const engine = await openStack({
      projectDir,
      stackName,
      program: () => program({ projectDir }),
      log: (line) => progress(`${line}\n`),
    });
    const { stack, choice } = engine;
    const { registerStackSecrets } = await import("../plan/engine-run");
    await registerStackSecrets(stack, output);
    let result: Record<string, unknown>;
    streaming = true;
    switch (op) {
      case "preview": {
        const { adoptedPreview } = await import("../converge");
        const guard = { engine, projectDir, stackName, log: (l: string) => progress(`${l}\n`) };
        const r = await adoptedPreview(guard, () =>
          stack.preview({ ...streams, refresh: values.refresh, diff: true }),
        );
        result = { changeSummary: r.changeSummary };
        break;
      }
      case "up": {
        const { guardedUp } = await import("../converge");
        const guard = { engine, projectDir, stackName, log: (l: string) => progress(`${l}\n`) };
        const r = await guardedUp(guard, () => stack.up({ ...streams, refresh: values.refresh }));
        // Secret outputs (the tunnel token) exist only after the first up: register them before printing.
        for (const o of Object.values(r.outputs)) if (o.secret) output.secret(String(o.value));
        result = { summary: r.summary, outputs: r.outputs };
        break;
      }
      case "refresh":
        result = { summary: (await stack.refresh(streams)).summary };
        break;
      case "destroy":
        result = { summary: (await stack.destroy(streams)).summary };
        break;
    }
    const changes = summarizeChanges(events);
    if (values.json) {
      output.out(
        JSON.stringify({ operation: op, stack: stackName, engine: choice, ...result, changes }, null, 2),
      );
    }
    if (op === "preview" && values["expect-no-changes"] && changes.length > 0) {
      output.err(`Expected no changes, but ${changes.length} resource(s) would change:`);
      for (const c of changes)
        output.err(`  ${c.op} ${shortUrn(c.urn)}${c.diffs.length ? ` (${c.diffs.join(", ")})` : ""}`);
      return EXIT.changes;
    }
    return EXIT.ok;
  } catch (err) {
    // Failures the user can act on from the message alone: no stack trace.
    const { isGuardRefusal } = await import("../converge");
    // A refusal before any write (a collision, a held lock) is the whole message.
    if (isGuardRefusal(err)) return (output.err(err.message), EXIT.failure);
    const expected =
      err instanceof ToolchainMissingError || err instanceof EngineSetupError || err instanceof CommandError;
    if (!expected) throw err;
    // During the operation the CLI's output (which a CommandError's message repeats) was streamed.
    const message =
      err instanceof CommandError && streaming ? `pulumi ${op} failed (see the output above).` : err.message;
    output.err(message);
    return EXIT.failure;
  } finally {
    await emulator?.close();
  }
}

if (require.main === module) runEntry(main);
