// openStack: the one way scripts and tests get a Pulumi stack. The program runs inline (in this
// process, through the Automation API's language server), with the project directory as the
// workspace, so Pulumi.yaml and Pulumi.<stack>.yaml are the files a plain `pulumi up` reads.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  LocalWorkspace,
  PulumiCommand,
  type ConfigMap,
  type PulumiFn,
  type Stack,
} from "@pulumi/pulumi/automation";
import { parse } from "yaml";
import { describeChoice, type ToolchainChoice } from "../../toolchain/choice";
import { REPO_ROOT } from "../../toolchain/layout";
import { requireEngine, toolchainPaths, type ToolchainPaths } from "../../toolchain/paths";
import { engineHome } from "./home";
import { backendUrl, EngineSetupError, passphraseEnv } from "./settings";

export interface OpenStackOptions {
  /** Holds Pulumi.yaml (its `name` is the project) and the stack files. */
  projectDir: string;
  stackName: string;
  /** Any inline program; the product passes `() => program({ projectDir })`. */
  program: PulumiFn;
  /** Written to Pulumi.<stack>.yaml before returning (secret values encrypted). */
  config?: ConfigMap;
  /** Extra environment for the CLI and the plugins it starts (e.g. CLOUDFLARE_BASE_URL). */
  env?: Record<string, string>;
  /** Where to say which CLI and plugins are used; default console.log (once per process). */
  log?: (line: string) => void;
  skipVersionCheck?: boolean;
}

export interface EngineStack {
  stack: Stack;
  /** Which CLI and plugins run, and where each came from (ZT_TOOLCHAIN). */
  choice: ToolchainChoice;
  backendUrl: string;
  /** Where the toolchain built here is (its parts may be unused when official ones are chosen). */
  toolchain: ToolchainPaths;
}

// The choice is said once per process on the console, however many stacks a command opens.
const said = new Set<string>();

function projectName(projectDir: string): string {
  const file = join(projectDir, "Pulumi.yaml");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new EngineSetupError(`No Pulumi.yaml in ${projectDir}: the engine needs the project file.`);
  }
  const name = (parse(text) as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || name === "") throw new EngineSetupError(`${file} has no project name.`);
  return name;
}

export async function openStack(opts: OpenStackOptions): Promise<EngineStack> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  const { choice, layout } = requireEngine(env);
  const home = engineHome(choice, layout.cacheRoot, env);
  const backend = backendUrl(opts.projectDir, env);
  const nodeModules = join(REPO_ROOT, "node_modules");

  const envVars: Record<string, string> = {
    ...opts.env,
    ...passphraseEnv(opts.stackName, env),
    PULUMI_BACKEND_URL: backend,
    PULUMI_SKIP_UPDATE_CHECK: "1",
    // Never download a plugin: a missing one is an error naming `pulumi plugin install`.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // Plugins come from a plugin cache only (the user's, or ours when one is built: home.ts), never
    // from PATH; the dynamic-provider launcher is still found next to the CLI.
    PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
    ...(home ? { PULUMI_HOME: home } : {}),
    // Read by the dynamic-provider launcher in the bin dir (toolchain/bin-dir.ts).
    ZT_GITOPS_NODE_MODULES: nodeModules,
    // The official launcher resolves @pulumi/pulumi from its working directory; NODE_PATH lets it
    // find this checkout's for projects elsewhere (tests use temp dirs).
    NODE_PATH: env.NODE_PATH ? `${nodeModules}:${env.NODE_PATH}` : nodeModules,
  };

  const line = describeChoice(choice);
  if (opts.log) opts.log(line);
  else if (!said.has(line)) {
    said.add(line);
    console.log(line);
  }
  const pulumiCommand = await PulumiCommand.get({
    root: choice.cli.root,
    skipVersionCheck: opts.skipVersionCheck,
  });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: opts.stackName, projectName: projectName(opts.projectDir), program: opts.program },
    { workDir: opts.projectDir, pulumiCommand, envVars, secretsProvider: "passphrase" },
  );
  if (opts.config) await stack.setAllConfig(opts.config);
  return { stack, choice, backendUrl: backend, toolchain: toolchainPaths(env) };
}
