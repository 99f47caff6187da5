import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { vi } from "vitest";

export const REPO = join(__dirname, "../../..");
export const FIXTURES = "tests/fixtures/users";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs an in-process `main(argv)` that writes with console.log / console.error, capturing both streams. */
export function runMain(main: (argv: string[]) => number, argv: string[]): Run {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  const error = vi
    .spyOn(console, "error")
    .mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  try {
    const code = main(argv);
    return { code, stdout: out.map((l) => l + "\n").join(""), stderr: err.map((l) => l + "\n").join("") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
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
