import type { EngineEvent, PreviewOptions, Stack, UpOptions } from "@pulumi/pulumi/automation";
import type { Output } from "../command";
import { summarizeChanges } from "../engine/changes";
import type { EngineStack } from "../engine/stack";
import { EnginePreview } from "./engine";

// The product's stack through the engine driver (src/engine), for plan, apply and drift. Imported lazily
// by the commands, so `npm run plan` without --engine never loads Pulumi.

export interface ProductStackOptions {
  projectDir: string;
  stack: string;
  /** YYYY-MM-DD for `expires`; the program's default is today (UTC). */
  today?: string;
  /** Engine progress; stdout stays for the command's own result. */
  progress: (text: string) => void;
  /** The command's output: the stack's secrets are registered with it, so no line can show them. */
  output?: Pick<Output, "secret">;
}

/** The stack through the engine; `close` stops the emulator this opened for the local stack, if any. */
export type ProductEngine = EngineStack & { close(): Promise<void> };

export async function openProductStack(opts: ProductStackOptions): Promise<ProductEngine> {
  const { openStack, LOCAL_STACK } = await import("../engine");
  const { program } = await import("../program");
  // The local stack is the embedded default: like `npm run preview`, it brings its emulator and token.
  const local = opts.stack === LOCAL_STACK ? await import("../engine/local") : undefined;
  const emulator = local ? await local.ensureLocalEmulator(opts.projectDir) : undefined;
  if (emulator)
    opts.progress(`Started the local Cloudflare API emulator on ${emulator.apiBase} for this run.\n`);
  const localEnv = local?.localStackEnv(opts.stack) ?? {};
  // The inline program runs in this process, so it reads the token from this environment.
  Object.assign(process.env, localEnv);
  if (opts.output) Object.values(localEnv).forEach((v) => opts.output!.secret(v));
  const close = async () => {
    await emulator?.close();
  };
  try {
    const engine = await openStack({
      projectDir: opts.projectDir,
      stackName: opts.stack,
      program: () => program({ projectDir: opts.projectDir, today: opts.today }),
      log: (line) => opts.progress(`${line}\n`),
    });
    if (opts.output) await registerStackSecrets(engine.stack, opts.output);
    return { ...engine, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The stack's secret config values (zt:logpushSecret, ...) and secret outputs (tunnelToken), as secrets. */
export async function registerStackSecrets(stack: Stack, output: Pick<Output, "secret">): Promise<void> {
  const [config, outputs] = await Promise.all([stack.getAllConfig(), stack.outputs()]);
  for (const value of [...Object.values(config), ...Object.values(outputs)]) {
    if (value.secret)
      output.secret(typeof value.value === "string" ? value.value : JSON.stringify(value.value));
  }
}

function streams(progress: (text: string) => void, events: EngineEvent[]) {
  return { onOutput: progress, onError: progress, onEvent: (e: EngineEvent) => events.push(e) };
}

export async function previewSteps(
  engine: EngineStack,
  progress: (text: string) => void,
  options: PreviewOptions = {},
  /** On an adopted stack (adoption.NAME.json), the preview imports what the next up will import. */
  adoption?: { projectDir: string; stackName: string; today?: string },
): Promise<EnginePreview & { events: EngineEvent[] }> {
  const events: EngineEvent[] = [];
  const run = () => engine.stack.preview({ ...streams(progress, events), diff: true, ...options });
  const { adoptedPreview } = await import("../converge");
  const log = (line: string) => progress(`${line}\n`);
  const result = adoption ? await adoptedPreview({ engine, ...adoption, log }, run) : await run();
  return {
    changeSummary: result.changeSummary as Record<string, number>,
    changes: summarizeChanges(events),
    events,
  };
}

export async function upSteps(
  engine: EngineStack,
  progress: (text: string) => void,
  options: UpOptions = {},
  /** Runs the up through the lock, pending-create and collision checks (src/converge). */
  guard?: { projectDir: string; stackName: string; today?: string },
) {
  const events: EngineEvent[] = [];
  const run = () => engine.stack.up({ ...streams(progress, events), ...options });
  const { guardedUp } = await import("../converge");
  const log = (line: string) => progress(`${line}\n`);
  const result = guard ? await guardedUp({ engine, ...guard, log }, run) : await run();
  return {
    summary: result.summary,
    outputs: result.outputs,
    preview: {
      changeSummary: (result.summary.resourceChanges ?? {}) as Record<string, number>,
      changes: summarizeChanges(events),
    } satisfies EnginePreview,
  };
}

/** Failures whose message says what to do (no stack trace): toolchain missing, no passphrase, a failed operation. */
export async function isExpectedEngineError(err: unknown): Promise<boolean> {
  const [{ CommandError }, { ToolchainMissingError }, { EngineSetupError }] = await Promise.all([
    import("@pulumi/pulumi/automation"),
    import("../../toolchain/paths"),
    import("../engine/settings"),
  ]);
  return (
    err instanceof CommandError || err instanceof ToolchainMissingError || err instanceof EngineSetupError
  );
}
