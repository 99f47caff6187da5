// Shared by the convergence e2e tests (lost responses, SIGKILL, concurrent ups): what "one of each" is,
// what a steady refreshed preview must not show, and the product's CLI run as a child process on a copy
// of the project (so a kill or a second run is a real second process, with its own engine).
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../../../toolchain/layout";
import { EXAMPLE_OBJECT_COUNTS, type Step } from "../../../bench/harness/product-run";

/** The product's objects for the repository's users.yaml and Pulumi.local.yaml. */
export const ONE_OF_EACH = EXAMPLE_OBJECT_COUNTS;

/**
 * Changes a refreshed preview shows, but for device settings: with the emulator's realism defaults their
 * GET returns the whole settings object and the bridged resource shows a diff on fields it does not set
 * (issue 14 item 4, a separate fix). Nothing the convergence tests do touches them.
 */
export const steadyCheck = (steps: Step[]) =>
  steps.filter((s) => s.op !== "same" && !s.type.endsWith(":ZeroTrustDeviceSettings"));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const PROJECT_FILES = [
  "package.json",
  "tsconfig.json",
  "Pulumi.yaml",
  "Pulumi.local.yaml",
  "users.yaml",
  "index.ts",
];
const PROJECT_DIRS = ["components", "src", "emulator", "toolchain"];

/**
 * A copy of the project whose local stack points at `port` (the test's own emulator there). Its path is
 * fixed per checkout and name: the toolchain's bin dir is keyed by the checkout's path.
 */
export function copyProject(name: string, port: number): string {
  const copy = join(
    tmpdir(),
    `zt-gitops-${name}-${createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 12)}`,
  );
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy);
  for (const f of PROJECT_FILES) cpSync(join(REPO_ROOT, f), join(copy, f));
  for (const d of PROJECT_DIRS) cpSync(join(REPO_ROOT, d), join(copy, d), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules"), join(copy, "node_modules"), "dir");
  const stackFile = join(copy, "Pulumi.local.yaml");
  const text = readFileSync(stackFile, "utf8");
  if (!text.includes("http://127.0.0.1:8788/client/v4"))
    throw new Error("Pulumi.local.yaml has no emulator URL");
  writeFileSync(
    stackFile,
    text.replace("http://127.0.0.1:8788/client/v4", `http://127.0.0.1:${port}/client/v4`),
  );
  return copy;
}

export interface Child {
  process: ChildProcess;
  /** stdout and stderr as they came. */
  output(): string;
  stdout(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `tsx <args>` in the copy, in its own process group (so a kill reaches the engine and plugins too). */
export function runTsx(cwd: string, args: string[], port: number): Child {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ZT_EMULATOR_PORT: String(port),
    FORCE_COLOR: "0",
    NO_COLOR: "1",
  };
  for (const k of [
    "PULUMI_BACKEND_URL",
    "PULUMI_CONFIG_PASSPHRASE",
    "PULUMI_CONFIG_PASSPHRASE_FILE",
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_BASE_URL",
    "CI",
  ])
    delete env[k];
  const child = spawn(join(REPO_ROOT, "node_modules", ".bin", "tsx"), args, {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  let stdout = "";
  child.stdout!.on("data", (d) => ((out += d), (stdout += d)));
  child.stderr!.on("data", (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  return { process: child, output: () => out, stdout: () => stdout, exit };
}

/**
 * SIGKILL to the child's process group (the CLI and the engine), then to every process group still
 * running from the copy: the engine starts plugins in groups of their own (the dynamic-provider launcher
 * among them), and a runner or machine that dies takes those too.
 */
export function killGroup(child: Child, copy: string): void {
  process.kill(-child.process.pid!, "SIGKILL");
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    if (!cmd.includes(copy)) continue;
    try {
      process.kill(-Number(pid), "SIGKILL");
    } catch {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
}

export async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
