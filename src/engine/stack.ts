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
import { REPO_ROOT } from "../../toolchain/layout";
import { requireToolchain, type ToolchainPaths } from "../../toolchain/paths";
import { chooseDockerPlugin, describeDockerPlugin, type DockerPlugin } from "./docker-plugin";
import { chooseCloudflarePlugin, describePlugin, type CloudflarePlugin } from "./plugin";
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
  /** Where to say which Cloudflare plugin is used; default console.log. */
  log?: (line: string) => void;
  skipVersionCheck?: boolean;
}

export interface EngineStack {
  stack: Stack;
  plugin: CloudflarePlugin;
  dockerPlugin: DockerPlugin;
  backendUrl: string;
  toolchain: ToolchainPaths;
}

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
  const toolchain = requireToolchain(env);
  const plugin = chooseCloudflarePlugin(toolchain, env);
  const dockerPlugin = chooseDockerPlugin(toolchain, env);
  // Built plugins come first on PATH; each official one comes from the CLI's plugin cache.
  const builtDirs = [
    ...(plugin.kind === "built here" ? [toolchain.binDir] : []),
    ...(dockerPlugin.kind === "built here" ? [dockerPlugin.binDir!] : []),
  ];
  const backend = backendUrl(opts.projectDir, env);
  const path = env.PATH ?? "";

  const envVars: Record<string, string> = {
    ...opts.env,
    ...passphraseEnv(opts.stackName, env),
    PULUMI_BACKEND_URL: backend,
    PULUMI_SKIP_UPDATE_CHECK: "1",
    // Offline: never try to download a plugin; a missing one must be an error.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // Read by the dynamic-provider launcher in the bin dir (toolchain/bin-dir.ts).
    ZT_GITOPS_NODE_MODULES: join(REPO_ROOT, "node_modules"),
    // A built plugin is found through PATH (the CLI prefers PATH over its plugin cache). With
    // every plugin official, PATH is left alone and ambient plugins are ignored, so the official
    // ones are what runs; the dynamic-provider launcher is still found next to the CLI. The
    // Docker plugin's directory holds only that plugin, so it never shadows an official Cloudflare one.
    ...(builtDirs.length > 0
      ? { PATH: [...builtDirs, path].join(":") }
      : { PATH: path, PULUMI_IGNORE_AMBIENT_PLUGINS: "true" }),
  };

  (opts.log ?? console.log)(describePlugin(plugin));
  (opts.log ?? console.log)(describeDockerPlugin(dockerPlugin));
  const pulumiCommand = await PulumiCommand.get({
    root: toolchain.root,
    skipVersionCheck: opts.skipVersionCheck,
  });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: opts.stackName, projectName: projectName(opts.projectDir), program: opts.program },
    { workDir: opts.projectDir, pulumiCommand, envVars, secretsProvider: "passphrase" },
  );
  if (opts.config) await stack.setAllConfig(opts.config);
  return { stack, plugin, dockerPlugin, backendUrl: backend, toolchain };
}
