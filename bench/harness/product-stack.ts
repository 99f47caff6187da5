// The real product program on a throwaway project wired to a fresh emulator: what e2e tests and the
// benchmark run. The stack config is the committed local stack's, pointed at this emulator.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import {
  EMULATOR_DEFAULT_TOKEN,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../emulator";
import { REPO_ROOT } from "../../toolchain/layout";
import { openStack, type EngineStack } from "../../src/engine";
import { program } from "../../src/program";
import { makeProject, type TestProject } from "./project";

export interface ProductStack {
  project: TestProject;
  emulator: RunningEmulator;
  stack: Stack;
  /** The same stack with its backend and plugin, as the product's commands hold it (src/converge needs it). */
  engine: EngineStack;
  /** Replace users.yaml; the next preview/up reads it. */
  writeUsers(yaml: string): void;
  close(): Promise<void>;
}

/** zt:* values of Pulumi.local.yaml, the example the README runs. */
export function localStackConfig(): Record<string, unknown> {
  const doc = parse(readFileSync(join(REPO_ROOT, "Pulumi.local.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  return Object.fromEntries(Object.entries(doc.config).filter(([k]) => k.startsWith("zt:")));
}

export async function openProductStack(options: {
  usersYaml: string;
  name?: string;
  emulator?: EmulatorOptions;
  config?: Record<string, unknown>;
  /** Secret stack values, e.g. `{ "zt:logpushSecret": "KEY_ID:SECRET" }` (encrypted in the stack file). */
  secrets?: Record<string, string>;
  today?: string;
  /**
   * Registered before the program declares anything, on every run: lets a test change one input of a
   * resource the real program declares (e.g. a provider-forced replacement). Read mutable test state
   * inside it to switch it on and off between operations; return undefined to leave a resource alone.
   */
  transform?: pulumi.ResourceTransform;
  /** Run this instead of the product's program (e.g. readInputs + declare with a model built in the test). */
  program?: (projectDir: string) => Promise<Record<string, unknown>>;
}): Promise<ProductStack> {
  const project = makeProject(options.name ?? "zt-e2e");
  const emulator = await startEmulator({ port: 0, ...options.emulator });
  const writeUsers = (yaml: string) => writeFileSync(join(project.dir, "users.yaml"), yaml);
  writeUsers(options.usersYaml);
  const config: ConfigMap = {
    "cloudflare:baseUrl": { value: emulator.apiBase },
    "cloudflare:apiToken": { value: EMULATOR_DEFAULT_TOKEN, secret: true },
  };
  for (const [key, value] of Object.entries({ ...localStackConfig(), ...options.config })) {
    config[key] = { value: typeof value === "string" ? value : JSON.stringify(value) };
  }
  for (const [key, value] of Object.entries(options.secrets ?? {})) config[key] = { value, secret: true };
  const transform = options.transform;
  const engine = await openStack({
    projectDir: project.dir,
    stackName: "e2e",
    program: () => {
      if (transform) pulumi.runtime.registerResourceTransform(transform);
      if (options.program) return options.program(project.dir);
      return program({ projectDir: project.dir, today: options.today });
    },
    config,
    env: { PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase" },
    log: () => undefined,
  });
  return {
    project,
    emulator,
    stack: engine.stack,
    engine,
    writeUsers,
    async close() {
      await emulator.close();
      project.remove();
    },
  };
}
