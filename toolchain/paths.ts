// Where the built toolchain is, for scripts and tests. Nothing here builds: `npm run toolchain`
// (toolchain/build.ts) does, into the same cache directories (see layout.ts).
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { steps } from "./build";
import { chooseToolchain, type ToolchainChoice } from "./choice";
import { ToolchainMissingError } from "./errors";
import { layout, type Layout } from "./layout";
import { buildable, stepsFor } from "./resolve";

export interface ToolchainPaths {
  /** `$XDG_CACHE_HOME/zt-gitops/toolchain` (default `~/.cache/...`). */
  cacheRoot: string;
  /** Root for `PulumiCommand.get({ root })`: the CLI is `<root>/bin/pulumi`. */
  root: string;
  /** Holds the built `pulumi` and the `pulumi-resource-pulumi-nodejs` launcher. */
  binDir: string;
  pulumi: string;
  cloudflarePlugin: string;
  dynamicProviderLauncher: string;
  /** The schema generator and its output (schema.json, bridge-metadata.json). */
  tfgen: string;
  schemaJson: string;
  versions: { pulumiCli: string; bridge: string; terraformProvider: string; cloudflarePlugin: string };
}

export const BUILD_COMMAND = "npm run toolchain";

/** The paths of the toolchain built from the sources now in the checkout (they may not exist yet). */
export function toolchainPaths(env: NodeJS.ProcessEnv = process.env): ToolchainPaths {
  const l = layout(env);
  return {
    cacheRoot: l.cacheRoot,
    root: l.root,
    binDir: l.binDir,
    pulumi: join(l.binDir, "pulumi"),
    cloudflarePlugin: l.provider.plugin,
    dynamicProviderLauncher: join(l.binDir, "pulumi-resource-pulumi-nodejs"),
    tfgen: l.provider.tfgen,
    schemaJson: l.provider.schemaJson,
    versions: l.versions,
  };
}

export { ToolchainMissingError } from "./errors";

/** Like toolchainPaths, but throws, naming the build command, when a file is missing or stale. */
export function requireToolchain(env: NodeJS.ProcessEnv = process.env): ToolchainPaths {
  const paths = toolchainPaths(env);
  const needed: Array<[string, string, number]> = [
    ["the pulumi CLI", paths.pulumi, constants.X_OK],
    ["the Cloudflare plugin", paths.cloudflarePlugin, constants.X_OK],
    ["the dynamic-provider launcher", paths.dynamicProviderLauncher, constants.X_OK],
    ["the generated schema", paths.schemaJson, constants.R_OK],
  ];
  const missing = needed.filter(([, file, mode]) => {
    try {
      accessSync(file, mode);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    const list = missing.map(([what, file]) => `  ${what}: ${file}`).join("\n");
    throw new ToolchainMissingError(
      `The toolchain for the current sources is not built (missing or out of date):\n${list}\n` +
        `Build it with: ZT_TOOLCHAIN=build ${BUILD_COMMAND}   (cold: ~11 min on 2 cores, warm: seconds)`,
    );
  }
  return paths;
}

export interface Engine {
  choice: ToolchainChoice;
  layout: Layout;
}

/**
 * The CLI and plugins the engine runs (ZT_TOOLCHAIN, toolchain/choice.ts). Throws a
 * ToolchainChoiceError for a wrong official version, a ToolchainMissingError naming the build
 * command when a part chosen to be built here is not built yet.
 */
export function requireEngine(env: NodeJS.ProcessEnv = process.env): Engine {
  const l = layout(env);
  const choice = chooseToolchain(l, buildable(l, steps), env);
  const missing = stepsFor(choice, steps).filter((s) => !s.ready(l));
  if (missing.length > 0) {
    throw new ToolchainMissingError(
      `The engine (ZT_TOOLCHAIN=${choice.mode}) needs parts that are not built yet:\n` +
        missing.map((s) => `  ${s.name}`).join("\n") +
        `\nBuild them with: ${BUILD_COMMAND}   (cold: ~11 min on 2 cores, warm: seconds), or install ` +
        `the official binaries (docs/gitops.md, "Engine binaries").`,
    );
  }
  return { choice, layout: l };
}
