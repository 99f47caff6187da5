// `npm run toolchain`: builds the pulumi CLI and the bridged Cloudflare plugin into
// $XDG_CACHE_HOME/zt-gitops/toolchain (default ~/.cache/...), keyed by versions and a hash of
// our Go sources, so a warm run builds nothing. `--quiet` prints one line when all is warm.
// ZT_TOOLCHAIN (toolchain/choice.ts) decides which parts are built: with `auto`, a part installed
// officially at the pinned version (the CLI, a plugin) is not built; `official` builds nothing.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assembleBinDir, binDirReady } from "./bin-dir";
import { buildCli, cliReady } from "./build-cli";
import {
  buildPlugin,
  buildTfgen,
  generateSchema,
  pluginReady,
  schemaReady,
  tfgenReady,
} from "./build-provider";
import {
  buildDockerPlugin,
  buildDockerTfgen,
  dockerPluginReady,
  dockerSchemaReady,
  dockerTfgenReady,
  generateDockerSchema,
} from "./build-docker";
import { dockerLayout } from "./docker-layout";
import { chooseToolchain, describeChoice, ToolchainChoiceError, type ToolchainChoice } from "./choice";
import { layout, REPO_ROOT, type Layout } from "./layout";
import { pastCompilePhase, ProgressReporter } from "./progress";
import { buildable, chains, stepsFor } from "./resolve";
import { BuildError } from "./run";
import { availableMemory, coldEstimate, parallelParts, runStaggered } from "./schedule";

export interface Step {
  name: string;
  /** What the step belongs to: "cli", or a plugin's name (as its npm package's `pulumi.name`). */
  part: string;
  ready: (l: Layout) => boolean;
  build: (l: Layout) => Promise<void> | void;
  /** On the step that produces the plugin `part`: its binary. Nothing else is needed for a plugin. */
  plugin?: (l: Layout) => string;
  /** Wall time of a cold build on 2 idle cores (MEASUREMENTS.md), for the estimate said up front. */
  coldSeconds?: number;
}

export const steps: Step[] = [
  {
    name: "pulumi CLI (toolchain/pulumi-cli)",
    part: "cli",
    ready: cliReady,
    build: buildCli,
    coldSeconds: 207,
  },
  {
    name: "schema generator pulumi-tfgen-cloudflare (toolchain/cloudflare-provider)",
    part: "cloudflare",
    ready: tfgenReady,
    build: buildTfgen,
    coldSeconds: 419,
  },
  { name: "schema.json (tfgen schema)", part: "cloudflare", ready: schemaReady, build: generateSchema },
  {
    name: "plugin pulumi-resource-cloudflare (toolchain/cloudflare-provider)",
    part: "cloudflare",
    ready: pluginReady,
    build: buildPlugin,
    plugin: (l) => l.provider.plugin,
    coldSeconds: 18,
  },
  {
    name: "bin dir (CLI and dynamic-provider launcher)",
    part: "cli",
    ready: binDirReady,
    build: assembleBinDir,
  },
  // The Docker plugin for the connector (toolchain/build-docker.ts).
  {
    name: "schema generator pulumi-tfgen-docker (toolchain/docker-provider)",
    part: "docker",
    ready: dockerTfgenReady,
    build: buildDockerTfgen,
    coldSeconds: 350,
  },
  {
    name: "docker schema.json (tfgen schema)",
    part: "docker",
    ready: dockerSchemaReady,
    build: generateDockerSchema,
  },
  {
    name: "plugin pulumi-resource-docker (toolchain/docker-provider)",
    part: "docker",
    ready: dockerPluginReady,
    build: buildDockerPlugin,
    plugin: (l) => dockerLayout(l.cacheRoot).plugin,
    coldSeconds: 10,
  },
];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The npm package and the plugin must agree on the version, or the engine looks for another plugin. */
function checkNpmCloudflareVersion(l: Layout): void {
  const pkg = JSON.parse(
    readFileSync(join(REPO_ROOT, "node_modules/@pulumi/cloudflare/package.json"), "utf8"),
  );
  if (pkg.version !== l.versions.cloudflarePlugin) {
    throw new BuildError(
      `@pulumi/cloudflare is ${pkg.version} but the plugin is built as ${l.versions.cloudflarePlugin}: ` +
        `change CLOUDFLARE_PLUGIN_VERSION in toolchain/layout.ts and Version in ` +
        `toolchain/cloudflare-provider/bridge/provider.go together with package.json.`,
    );
  }
}

/** A built plugin must report the version its npm package asks for, or the engine would not load it. */
function checkBuiltPlugin(step: Step, l: Layout, choice: ToolchainChoice): void {
  const wanted = choice.plugins.find((p) => p.name === step.part);
  if (!step.plugin || !wanted) return;
  const reported = execFileSync(step.plugin(l), ["-version"], { encoding: "utf8" }).trim();
  if (reported.replace(/^v/, "") !== wanted.version)
    throw new BuildError(
      `${step.name}: the plugin reports ${reported}, but ${wanted.npmPackage} asks for ${wanted.version}.`,
    );
}

async function runChain(chain: Step[], l: Layout, choice: ToolchainChoice): Promise<number> {
  let built = 0;
  for (const step of chain) {
    if (step.ready(l)) continue;
    console.log(`building  ${step.name} ...`);
    const t0 = Date.now();
    await step.build(l);
    checkBuiltPlugin(step, l, choice);
    console.log(`built     ${step.name} in ${seconds(Date.now() - t0)}`);
    built += 1;
  }
  return built;
}

/** Builds what the chosen toolchain lacks; `quiet`: one line when nothing is to be built. */
export async function buildToolchain({ quiet }: { quiet: boolean }): Promise<void> {
  const started = Date.now();
  const l = layout();
  checkNpmCloudflareVersion(l);
  const choice = chooseToolchain(l, buildable(l, steps));
  const needed = stepsFor(choice, steps);
  const pending = needed.filter((s) => !s.ready(l));
  // Quiet is for warm runs; when something must be built, say what and how long it took.
  const verbose = !quiet || pending.length > 0;
  if (verbose) {
    console.log(`toolchain cache: ${l.cacheRoot}`);
    console.log(
      `versions: pulumi CLI ${l.versions.pulumiCli}, pulumi-terraform-bridge ${l.versions.bridge}, ` +
        `terraform-provider-cloudflare ${l.versions.terraformProvider}, Cloudflare plugin ${l.versions.cloudflarePlugin}`,
    );
    console.log(describeChoice(choice));
    for (const step of needed) if (step.ready(l)) console.log(`warm      ${step.name}`);
  }
  let built = 0;
  if (pending.length > 0) {
    const todo = chains(pending);
    const jobs = parallelParts(todo.length, process.env);
    const estimate = coldEstimate(pending);
    if (estimate) console.log(estimate);
    if (todo.length > 1)
      console.log(
        `building ${todo.length} parts ${jobs > 1 ? `up to ${jobs} at a time, each next one once the running builds are linking` : "one after the other"} ` +
          `(${(availableMemory() / 1024 ** 3).toFixed(1)} GiB memory available; ZT_TOOLCHAIN_JOBS overrides)`,
      );
    const reporter = new ProgressReporter((line) => console.log(line), started);
    reporter.start();
    try {
      const counts: number[] = [];
      await runStaggered(
        chains(needed).map((chain) => async () => void counts.push(await runChain(chain, l, choice))),
        jobs,
        () => pastCompilePhase(),
      );
      built = counts.reduce((a, b) => a + b, 0);
    } finally {
      reporter.stop();
    }
  }
  console.log(
    `toolchain ready in ${seconds(Date.now() - started)} (${built === 0 ? "all warm" : `${built} of ${needed.length} steps built`}; ZT_TOOLCHAIN=${choice.mode})`,
  );
}

// Imported by the engine (toolchain/paths.ts) for the table and by `npm start` (one process, one
// tsx start-up less); run by `npm run toolchain`.
if (require.main === module) {
  buildToolchain({ quiet: process.argv.includes("--quiet") }).catch((err: unknown) => {
    const expected = err instanceof BuildError || err instanceof ToolchainChoiceError;
    console.error(expected ? (err as Error).message : err);
    process.exit(1);
  });
}
