// A throwaway project (Pulumi.yaml, users.yaml, Pulumi.<stack>.yaml, a Git repository for the GitOps
// commands) whose stack runs the real program with zt:connector.enabled against the project's own
// dockerd and the Cloudflare API emulator. up/destroy go through src/engine like `npm run up`;
// drift and apply run as child processes, as the workflows run them.
import { execFile } from "node:child_process";
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation";
import { stringify } from "yaml";
import { EMULATOR_DEFAULT_TOKEN, startEmulator, type RunningEmulator } from "../../../emulator";
import { openStack } from "../../../src/engine";
import { program } from "../../../src/program";
import { runZt } from "../../../src/zt";
import { REPO_ROOT } from "../../../toolchain/layout";
import { localStackConfig } from "../../../bench/harness/product-stack";
import { capture, type RunCapture } from "../../../bench/harness/product-run";
import { DNSMASQ_IMAGE, DOCKER_HOST, STANDIN_IMAGE, type Result } from "./engine";

const run = promisify(execFile);
const TSX = join(REPO_ROOT, "node_modules", ".bin", "tsx");
export const PASSPHRASE = "connector-e2e-passphrase";

export interface ConnectorProject {
  dir: string;
  stackName: string;
  emulator: RunningEmulator;
  /** The zt:* config as last written. */
  config: Record<string, unknown>;
  /** Rewrites Pulumi.<stack>.yaml with `patch` merged over the zt:* values. */
  writeConfig(patch: Record<string, unknown>): void;
  up(): Promise<RunCapture>;
  destroy(): Promise<RunCapture>;
  stack(): Promise<Stack>;
  /** Every file under the project (stack file, state and its backups) with its text. */
  files(): { path: string; text: string }[];
  /** `npm run <command> -- --project-dir DIR --stack S ...args` as a child process. */
  npmRun(command: "drift" | "apply" | "compose", args?: string[]): Promise<Result>;
  /** `npm run zt -- <args>` in-process (doctor), against this project. */
  zt(args: string[]): Promise<Result>;
  close(): Promise<void>;
}

/** The example stack with the connector on: our dockerd, the local images, a subnet of its own. */
export function connectorConfig(network: {
  name: string;
  cidr: string;
  dnsmasqAddress: string;
  hosts: Record<string, string>;
}): Record<string, unknown> {
  return {
    "zt:privateNetwork": {
      cidr: network.cidr,
      internalDomain: "ocs.internal",
      dnsmasqAddress: network.dnsmasqAddress,
      hosts: network.hosts,
    },
    "zt:connector": {
      enabled: true,
      dockerHost: DOCKER_HOST,
      replicas: 2,
      network: network.name,
      cloudflaredImage: STANDIN_IMAGE,
      dnsmasqImage: DNSMASQ_IMAGE,
    },
  };
}

export async function openConnectorProject(
  name: string,
  config: Record<string, unknown>,
): Promise<ConnectorProject> {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const stackName = "conn";
  const emulator = await startEmulator({ port: 0 });
  copyFileSync(join(REPO_ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  writeFileSync(join(dir, "users.yaml"), readFileSync(join(REPO_ROOT, "users.yaml"), "utf8"));
  writeFileSync(join(dir, ".gitignore"), ".pulumi-local/\n");
  const env = { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE, CLOUDFLARE_API_TOKEN: EMULATOR_DEFAULT_TOKEN };
  // The inline program runs in this process and reads the token from here, as in CI.
  process.env.CLOUDFLARE_API_TOKEN = EMULATOR_DEFAULT_TOKEN;
  const p: ConnectorProject = {
    dir,
    stackName,
    emulator,
    config: { ...localStackConfig(), ...config },
    writeConfig(patch) {
      p.config = { ...p.config, ...patch };
      writeFileSync(
        join(dir, `Pulumi.${stackName}.yaml`),
        stringify({ config: { ...p.config, "cloudflare:baseUrl": emulator.apiBase } }),
      );
    },
    async stack() {
      const { stack } = await openStack({
        projectDir: dir,
        stackName,
        program: () => program({ projectDir: dir }),
        env,
        log: () => undefined,
      });
      return stack;
    },
    files() {
      const walk = (d: string): string[] =>
        readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
      return walk(dir).map((path) => ({ path, text: readFileSync(path, "utf8") }));
    },
    async up() {
      const c = capture();
      await (await p.stack()).up(c.opts);
      return c;
    },
    async destroy() {
      const c = capture();
      await (await p.stack()).destroy(c.opts);
      return c;
    },
    async npmRun(command, args = []) {
      const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
      delete childEnv.PULUMI_BACKEND_URL;
      const argv = [
        join(REPO_ROOT, "src", "cli", `${command}.ts`),
        "--project-dir",
        dir,
        "--stack",
        stackName,
      ];
      try {
        const r = await run(TSX, [...argv, ...args], { env: childEnv, cwd: dir, maxBuffer: 64 << 20 });
        return { code: 0, stdout: r.stdout, stderr: r.stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        if (typeof e.code !== "number") throw error;
        return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
      }
    },
    async zt(args) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runZt([...args, "--stack", stackName], {
        projectDir: dir,
        env: { ...process.env, ...env },
        output: { out: (t) => out.push(t), err: (t) => err.push(t) },
      });
      return { code, stdout: out.join("\n"), stderr: err.join("\n") };
    },
    async close() {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  p.writeConfig({});
  const git = (...a: string[]) =>
    run("git", ["-c", "user.name=ci", "-c", "user.email=ci@example.org", ...a], { cwd: dir });
  await git("init", "-q", "-b", "main");
  await git("add", ".");
  await git("commit", "-q", "-m", "base");
  return p;
}
