// `npm run toolchain`: builds the pulumi CLI and the bridged Cloudflare plugin into
// $XDG_CACHE_HOME/zt-gitops/toolchain (default ~/.cache/...), keyed by versions and a hash of
// our Go sources, so a warm run builds nothing. `--quiet` prints one line when all is warm.
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
import { layout, REPO_ROOT, type Layout } from "./layout";
import { BuildError } from "./run";

interface Step {
  name: string;
  ready: (l: Layout) => boolean;
  build: (l: Layout) => Promise<void> | void;
}

const steps: Step[] = [
  { name: "pulumi CLI (toolchain/pulumi-cli)", ready: cliReady, build: buildCli },
  {
    name: "schema generator pulumi-tfgen-cloudflare (toolchain/cloudflare-provider)",
    ready: tfgenReady,
    build: buildTfgen,
  },
  { name: "schema.json (tfgen schema)", ready: schemaReady, build: generateSchema },
  {
    name: "plugin pulumi-resource-cloudflare (toolchain/cloudflare-provider)",
    ready: pluginReady,
    build: buildPlugin,
  },
  { name: "bin dir", ready: binDirReady, build: assembleBinDir },
  // The Docker plugin for the connector (toolchain/build-docker.ts, issue 18).
  {
    name: "schema generator pulumi-tfgen-docker (toolchain/docker-provider)",
    ready: dockerTfgenReady,
    build: buildDockerTfgen,
  },
  { name: "docker schema.json (tfgen schema)", ready: dockerSchemaReady, build: generateDockerSchema },
  {
    name: "plugin pulumi-resource-docker (toolchain/docker-provider)",
    ready: dockerPluginReady,
    build: buildDockerPlugin,
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

async function main(): Promise<void> {
  const quiet = process.argv.includes("--quiet");
  const started = Date.now();
  const l = layout();
  checkNpmCloudflareVersion(l);
  const pending = steps.filter((s) => !s.ready(l));
  // Quiet is for warm runs; when something must be built, say what and how long it took.
  const verbose = !quiet || pending.length > 0;
  if (verbose) {
    console.log(`toolchain cache: ${l.cacheRoot}`);
    console.log(
      `versions: pulumi CLI ${l.versions.pulumiCli}, pulumi-terraform-bridge ${l.versions.bridge}, ` +
        `terraform-provider-cloudflare ${l.versions.terraformProvider}, Cloudflare plugin ${l.versions.cloudflarePlugin}`,
    );
  }
  for (const step of steps) {
    if (step.ready(l)) {
      if (verbose) console.log(`warm      ${step.name}`);
      continue;
    }
    console.log(`building  ${step.name} ...`);
    const t0 = Date.now();
    await step.build(l);
    console.log(`built     ${step.name} in ${seconds(Date.now() - t0)}`);
  }
  const built = pending.length;
  console.log(
    `toolchain ready in ${seconds(Date.now() - started)} (${built === 0 ? "all warm" : `${built} of ${steps.length} steps built`}): ${l.binDir}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof BuildError ? err.message : err);
  process.exit(1);
});
