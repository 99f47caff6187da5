import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { bufferSink, EntryEnv, processEnv } from "../../../src/command";

export const REPO = join(__dirname, "../../..");
export const FIXTURES = "tests/fixtures/users";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs an in-process command entry `main(argv, env)` with a buffer for its output, capturing both streams. */
export async function runMain(
  main: (argv: string[], env: EntryEnv) => Promise<number>,
  argv: string[],
): Promise<Run> {
  const sink = bufferSink();
  const code = await main(argv, processEnv(process.env, sink));
  return { code, stdout: sink.stdout(), stderr: sink.stderr() };
}

/** Runs a TypeScript entry point the way `npm run ...` does (tsx), from the repository root. */
export function runScript(script: string, args: string[]): Run {
  const result = spawnSync(process.execPath, [join(REPO, "node_modules/tsx/dist/cli.mjs"), script, ...args], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
