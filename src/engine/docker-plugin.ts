// Which Docker resource plugin the engine will load for the connector (issue 18). As for Cloudflare
// (plugin.ts): the official plugin (`pulumi plugin install resource docker 5.2.0` on a connected
// machine) wins when present; otherwise the one built here from kreuzwerker's Terraform provider
// (toolchain/build-docker.ts), offered through PATH from a directory that holds only it.
import { accessSync, constants, existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { DOCKER_PLUGIN_VERSION, dockerLayout } from "../../toolchain/docker-layout";
import type { ToolchainPaths } from "../../toolchain/paths";

export interface DockerPlugin {
  kind: "official" | "built here" | "missing";
  path: string;
  /** Directory to put on PATH for a plugin built here. */
  binDir?: string;
  version: string;
}

export function officialDockerPluginPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const home = env.PULUMI_HOME || join(homedir(), ".pulumi");
  const dir = join(home, "plugins", `resource-docker-v${DOCKER_PLUGIN_VERSION}`);
  const binary = join(dir, "pulumi-resource-docker");
  if (existsSync(`${dir}.partial`)) return undefined;
  try {
    accessSync(binary, constants.X_OK);
    return binary;
  } catch {
    return undefined;
  }
}

export function chooseDockerPlugin(
  toolchain: ToolchainPaths,
  env: NodeJS.ProcessEnv = process.env,
): DockerPlugin {
  const official = officialDockerPluginPath(env);
  if (official) return { kind: "official", path: official, version: DOCKER_PLUGIN_VERSION };
  const built = dockerLayout(toolchain.cacheRoot);
  return {
    kind: existsSync(built.plugin) ? "built here" : "missing",
    path: built.plugin,
    binDir: built.binDir,
    version: DOCKER_PLUGIN_VERSION,
  };
}

export function describeDockerPlugin(p: DockerPlugin): string {
  return p.kind === "missing"
    ? `Docker plugin ${p.version}: not built (${p.path}); the connector needs it: npm run toolchain`
    : `Docker plugin ${p.version}: ${p.kind} (${p.path})`;
}
