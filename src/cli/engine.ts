import { parseArgs } from "node:util";
import { CommandError, type EngineEvent } from "@pulumi/pulumi/automation";
import { REPO_ROOT } from "../../toolchain/layout";
import { ToolchainMissingError } from "../../toolchain/paths";
import { EngineSetupError, LOCAL_STACK, openStack, shortUrn, summarizeChanges } from "../engine";
import { ensureLocalEmulator, localStackEnv } from "../engine/local";

// npm run preview|up|refresh|destroy -- [flags]: the product's program through the real engine.
const HELP = `Usage: npm run <preview|up|refresh|destroy> -- [--stack NAME] [--json] [--refresh] [--expect-no-changes]

Runs the program in src/program.ts on the stack (default "${LOCAL_STACK}") with the Pulumi engine.
  --stack NAME          stack to use (default ${LOCAL_STACK}; other stacks need PULUMI_CONFIG_PASSPHRASE)
  --json                print a JSON result on stdout (progress goes to stderr)
  --refresh             refresh state from Cloudflare first (preview, up)
  --expect-no-changes   preview: exit 2 and name the resources if anything would change
Backend: PULUMI_BACKEND_URL, else file://<project>/.pulumi-local. Cloudflare endpoint:
CLOUDFLARE_BASE_URL or cloudflare:baseUrl; token: CLOUDFLARE_API_TOKEN or cloudflare:apiToken.
Exit 0 on success, 1 on failure, 2 when --expect-no-changes finds changes.`;

const OPS = ["preview", "up", "refresh", "destroy"] as const;
type Op = (typeof OPS)[number];

/** Failures the user can act on from the message alone: no stack trace. */
function expected(err: unknown): err is Error {
  return (
    err instanceof ToolchainMissingError || err instanceof EngineSetupError || err instanceof CommandError
  );
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stack: { type: "string", default: LOCAL_STACK },
      json: { type: "boolean", default: false },
      refresh: { type: "boolean", default: false },
      "expect-no-changes": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const op = positionals[0] as Op;
  if (values.help || !OPS.includes(op)) {
    console.log(HELP);
    return values.help ? 0 : 1;
  }
  // With --json, stdout carries only the result.
  const progress = (text: string) => (values.json ? process.stderr : process.stdout).write(text);
  const events: EngineEvent[] = [];
  // stderr is streamed too, so a failure's diagnostics are already on screen when we exit.
  const common = {
    onOutput: progress,
    onError: (text: string) => process.stderr.write(text),
    onEvent: (e: EngineEvent) => events.push(e),
  };

  let streaming = false;
  // The local stack is the embedded default: it brings its emulator and token with it.
  const emulator = values.stack === LOCAL_STACK ? await ensureLocalEmulator(REPO_ROOT) : undefined;
  if (emulator) progress(`Started the local Cloudflare API emulator on ${emulator.apiBase} for this run.\n`);
  Object.assign(process.env, localStackEnv(values.stack));
  try {
    const { program } = await import("../program");
    const projectDir = REPO_ROOT;
    const { stack, choice } = await openStack({
      projectDir,
      stackName: values.stack,
      program: () => program({ projectDir }),
      log: (line) => progress(`${line}\n`),
    });
    let result: Record<string, unknown>;
    streaming = true;
    switch (op) {
      case "preview": {
        const r = await stack.preview({ ...common, refresh: values.refresh, diff: true });
        result = { changeSummary: r.changeSummary };
        break;
      }
      case "up": {
        const r = await stack.up({ ...common, refresh: values.refresh });
        result = { summary: r.summary, outputs: r.outputs };
        break;
      }
      case "refresh":
        result = { summary: (await stack.refresh(common)).summary };
        break;
      case "destroy":
        result = { summary: (await stack.destroy(common)).summary };
        break;
    }
    const changes = summarizeChanges(events);
    if (values.json) {
      console.log(
        JSON.stringify({ operation: op, stack: values.stack, engine: choice, ...result, changes }, null, 2),
      );
    }
    if (op === "preview" && values["expect-no-changes"] && changes.length > 0) {
      console.error(`Expected no changes, but ${changes.length} resource(s) would change:`);
      for (const c of changes)
        console.error(`  ${c.op} ${shortUrn(c.urn)}${c.diffs.length ? ` (${c.diffs.join(", ")})` : ""}`);
      return 2;
    }
    return 0;
  } catch (err) {
    if (!expected(err)) throw err;
    // During the operation the CLI's output (which a CommandError's message repeats) was streamed.
    const message =
      err instanceof CommandError && streaming ? `pulumi ${op} failed (see the output above).` : err.message;
    console.error(message);
    return 1;
  } finally {
    await emulator?.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
