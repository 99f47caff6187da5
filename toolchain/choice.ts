// Which pulumi CLI and which resource plugins the engine runs, and where each comes from.
// ZT_TOOLCHAIN=official: the binaries Pulumi publishes, installed beforehand (never downloaded here);
// build: the ones toolchain/build.ts builds from Go modules (for machines without internet);
// auto (default): official where installed at the pinned version, built otherwise. A wrong version of
// an installed official binary is an error naming the install command, in every mode but `build`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ToolchainChoiceError } from "./errors";
import { REPO_ROOT, type Layout } from "./layout";
import {
  bare,
  cliInstallCommand,
  findOfficialClis,
  findOfficialPlugin,
  pluginInstallCommand,
} from "./official";

export const MODES = ["official", "build", "auto"] as const;
export type ToolchainMode = (typeof MODES)[number];

export { ToolchainChoiceError };

export function toolchainMode(env: NodeJS.ProcessEnv = process.env): ToolchainMode {
  const value = env.ZT_TOOLCHAIN ?? "";
  if (value === "") return "auto";
  if ((MODES as readonly string[]).includes(value)) return value as ToolchainMode;
  throw new ToolchainChoiceError(
    `ZT_TOOLCHAIN=${value} is not a toolchain mode: use official, build or auto (the default).`,
  );
}

export interface PluginSpec {
  name: string;
  version: string;
  npmPackage: string;
}

/**
 * The resource plugins the npm packages ask the engine for, at the versions they ask: every dependency
 * whose package.json has `pulumi.resource` (the same rule Pulumi's Node language host uses). So the
 * plugin versions are pinned in one place: package.json (and its lockfile).
 */
export function requiredPlugins(repoRoot = REPO_ROOT): PluginSpec[] {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const specs: PluginSpec[] = [];
  for (const dep of Object.keys(pkg.dependencies ?? {}).sort()) {
    const file = join(repoRoot, "node_modules", dep, "package.json");
    let meta: { version: string; pulumi?: { resource?: boolean; name?: string; version?: string } };
    try {
      meta = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      continue; // not installed (ensure-deps runs npm ci first); the engine reports what it misses
    }
    if (!meta.pulumi?.resource) continue;
    const name = meta.pulumi.name ?? dep.replace(/^@pulumi\//, "");
    specs.push({ name, version: bare(meta.pulumi.version ?? meta.version), npmPackage: dep });
  }
  return specs;
}

/** What toolchain/build.ts can build: the CLI, and each plugin named by a step of its table. */
export interface Buildable {
  /** The CLI the engine runs when it is built here; the dynamic-provider launcher sits next to it. */
  cli: string;
  /** PulumiCommand root for that CLI (the CLI is <root>/bin/pulumi). */
  cliRoot: string;
  plugins: Record<string, string>;
}

export type Source = "official" | "built here";

export interface CliChoice {
  source: Source;
  path: string;
  root: string;
  version: string;
  from: string;
}

export interface PluginChoice extends PluginSpec {
  source: Source | "none";
  path?: string;
  from: string;
}

export interface ToolchainChoice {
  mode: ToolchainMode;
  cli: CliChoice;
  plugins: PluginChoice[];
}

function chooseCli(mode: ToolchainMode, l: Layout, can: Buildable, env: NodeJS.ProcessEnv): CliChoice {
  const wanted = bare(l.versions.pulumiCli);
  const built: CliChoice = {
    source: "built here",
    path: can.cli,
    root: can.cliRoot,
    version: wanted,
    from: "toolchain/pulumi-cli",
  };
  if (mode === "build") return built;
  const found = findOfficialClis(env, l.cacheRoot);
  const right = found.find((c) => bare(c.version) === wanted);
  if (right) {
    // <root>/bin/pulumi is what PulumiCommand runs; Pulumi's installer always uses a bin/ directory.
    const root = join(right.path, "..", "..");
    return { source: "official", path: right.path, root, version: wanted, from: right.from };
  }
  if (found.length > 0 || mode === "official") {
    const list = found.map((c) => `${c.path} (${c.from}) reports ${c.version}`).join("; ");
    throw new ToolchainChoiceError(
      `ZT_TOOLCHAIN=${mode} needs the official pulumi CLI ${wanted}` +
        (found.length ? `, but found only: ${list}.` : ", but none is on PATH or in ~/.pulumi/bin.") +
        `\nInstall it with: ${cliInstallCommand(wanted)}` +
        (mode === "auto" ? `\nor build one here instead: ZT_TOOLCHAIN=build npm run toolchain` : "") +
        `\n(the version is pinned in toolchain/pulumi-cli/go.mod; nothing is downloaded automatically)`,
    );
  }
  return built;
}

/** Plugins this run may leave unbuilt (ZT_TOOLCHAIN_SKIP, comma-separated names). */
export const skippedPlugins = (env: NodeJS.ProcessEnv) =>
  (env.ZT_TOOLCHAIN_SKIP ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

function choosePlugin(
  mode: ToolchainMode,
  spec: PluginSpec,
  can: Buildable,
  env: NodeJS.ProcessEnv,
): PluginChoice {
  const builtPath = can.plugins[spec.name];
  // ZT_TOOLCHAIN_SKIP=docker: this run does not load that plugin (npm start with the connector off), so a
  // first run does not wait for its build; one already built is still used.
  const skipped = skippedPlugins(env).includes(spec.name) && builtPath && !existsSync(builtPath);
  const built: PluginChoice =
    builtPath && !skipped
      ? { ...spec, source: "built here", path: builtPath, from: "toolchain/build.ts" }
      : {
          ...spec,
          source: "none",
          from: skipped
            ? "not built: this run does not need it (npm run toolchain builds it)"
            : "no official install, no build step",
        };
  if (mode === "build") return built;
  const official = findOfficialPlugin(spec.name, spec.version, env);
  if (official.state === "installed")
    return { ...spec, source: "official", path: official.path, from: "plugin cache" };
  if (official.state === "wrong version") {
    throw new ToolchainChoiceError(
      `${official.path} should be the official ${spec.name} plugin ${spec.version} (what ${spec.npmPackage} ` +
        `asks for), but it reports ${official.reported}.\n` +
        `Reinstall it with: ${pluginInstallCommand(spec.name, spec.version, true)}` +
        (mode === "auto" ? `\nor use the one built here: ZT_TOOLCHAIN=build` : ""),
    );
  }
  if (mode === "auto" && built.source === "built here") return built;
  const others = official.otherVersions.length
    ? `; the cache holds ${official.otherVersions.join(", ")}`
    : "";
  // Not an error yet: a program that never uses this package never loads the plugin (e.g. docker
  // with the connector off). The engine names the plugin if the program needs it.
  return {
    ...spec,
    source: "none",
    from: `not installed${others} (${pluginInstallCommand(spec.name, spec.version)})`,
  };
}

export function chooseToolchain(
  l: Layout,
  can: Buildable,
  env: NodeJS.ProcessEnv = process.env,
  plugins: PluginSpec[] = requiredPlugins(),
): ToolchainChoice {
  const mode = toolchainMode(env);
  return {
    mode,
    cli: chooseCli(mode, l, can, env),
    plugins: plugins.map((p) => choosePlugin(mode, p, can, env)),
  };
}

/** One line: which CLI, which plugins, where from. */
export function describeChoice(c: ToolchainChoice): string {
  const plugins = c.plugins.map((p) =>
    p.source === "none"
      ? `${p.name} ${p.version} ${p.from}`
      : `${p.name} ${p.version} ${p.source} (${p.path})`,
  );
  return (
    `engine (ZT_TOOLCHAIN=${c.mode}): pulumi CLI ${c.cli.version} ${c.cli.source} (${c.cli.path}); ` +
    `plugins: ${plugins.join(", ")}`
  );
}
