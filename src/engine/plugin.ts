// Which Cloudflare resource plugin the engine will load. The official plugin (installed with
// `pulumi plugin install resource cloudflare 6.20.0` on a connected machine) wins when present;
// otherwise the one built here from Cloudflare's Terraform provider, found through PATH.
import { accessSync, constants, existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { CLOUDFLARE_PLUGIN_VERSION } from "../../toolchain/layout";
import type { ToolchainPaths } from "../../toolchain/paths";

export interface CloudflarePlugin {
  kind: "official" | "built here";
  path: string;
  version: string;
}

/** Where `pulumi plugin install` puts the official plugin, if it is there and complete. */
export function officialPluginPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const home = env.PULUMI_HOME || join(homedir(), ".pulumi");
  const dir = join(home, "plugins", `resource-cloudflare-v${CLOUDFLARE_PLUGIN_VERSION}`);
  const binary = join(dir, "pulumi-resource-cloudflare");
  // The CLI leaves a ".partial" marker next to an interrupted install.
  if (existsSync(`${dir}.partial`)) return undefined;
  try {
    accessSync(binary, constants.X_OK);
    return binary;
  } catch {
    return undefined;
  }
}

export function chooseCloudflarePlugin(
  toolchain: ToolchainPaths,
  env: NodeJS.ProcessEnv = process.env,
): CloudflarePlugin {
  const official = officialPluginPath(env);
  return official
    ? { kind: "official", path: official, version: CLOUDFLARE_PLUGIN_VERSION }
    : { kind: "built here", path: toolchain.cloudflarePlugin, version: CLOUDFLARE_PLUGIN_VERSION };
}

export function describePlugin(p: CloudflarePlugin): string {
  return `Cloudflare plugin ${p.version}: ${p.kind} (${p.path})`;
}
