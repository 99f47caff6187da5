// Where the toolchain lives and how its cache keys are computed. Shared by paths.ts (which only
// looks) and build.ts (which builds), so both always agree on which directory is current.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative, resolve } from "node:path";

export const REPO_ROOT = resolve(__dirname, "..");
export const CLI_MODULE_DIR = join(REPO_ROOT, "toolchain", "pulumi-cli");
export const PROVIDER_MODULE_DIR = join(REPO_ROOT, "toolchain", "cloudflare-provider");

/** Must equal the @pulumi/cloudflare npm version, or the engine asks for another plugin. */
export const CLOUDFLARE_PLUGIN_VERSION = "6.20.0";

/** Flags every Go build uses (notes: static, no VCS stamping, smaller binaries). */
export const GO_BUILD_FLAGS = ["-trimpath", "-tags", "osusergo,grpcnotrace"];
export const GO_ENV = { CGO_ENABLED: "0", GOFLAGS: "-buildvcs=false" };

/** Bump when the build recipe (not the sources) changes in a way that must invalidate outputs. */
const RECIPE = "2";

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "zt-gitops", "toolchain");
}

/** The version a go.mod requires for a module, e.g. goModVersion(dir, "github.com/pulumi/pulumi/pkg/v3"). */
export function goModVersion(moduleDir: string, modulePath: string): string {
  const gomod = readFileSync(join(moduleDir, "go.mod"), "utf8");
  const escaped = modulePath.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const m = gomod.match(new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, "m"));
  if (!m) throw new Error(`${join(moduleDir, "go.mod")} does not require ${modulePath}`);
  return m[1];
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/** Hash of a module's own sources (go.mod, go.sum, *.go), the recipe and extra strings. */
export function sourceKey(moduleDir: string, extra: string[]): string {
  const hash = createHash("sha256");
  hash.update(`recipe ${RECIPE}\0${GO_BUILD_FLAGS.join(" ")}\0${extra.join("\0")}\0`);
  const files = listFiles(moduleDir)
    .filter((f) => /(\.go|\/go\.mod|\/go\.sum)$/.test(f))
    .sort();
  for (const file of files) {
    hash.update(`${relative(moduleDir, file)}\0`);
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

export interface Layout {
  cacheRoot: string;
  versions: { pulumiCli: string; bridge: string; terraformProvider: string; cloudflarePlugin: string };
  cli: { key: string; dir: string; binary: string };
  provider: {
    key: string;
    dir: string;
    tfgen: string;
    schemaDir: string;
    schemaJson: string;
    metadataJson: string;
    plugin: string;
    /** Stable build directory: a stable path keeps Go's build cache warm across source changes. */
    workDir: string;
  };
  /** PulumiCommand root: the CLI is <root>/bin/pulumi. */
  root: string;
  binDir: string;
  nodeModules: string;
}

export function layout(env: NodeJS.ProcessEnv = process.env): Layout {
  const root = cacheRoot(env);
  const versions = {
    pulumiCli: goModVersion(CLI_MODULE_DIR, "github.com/pulumi/pulumi/pkg/v3"),
    bridge: goModVersion(PROVIDER_MODULE_DIR, "github.com/pulumi/pulumi-terraform-bridge/v3"),
    terraformProvider: goModVersion(
      PROVIDER_MODULE_DIR,
      "github.com/cloudflare/terraform-provider-cloudflare",
    ),
    cloudflarePlugin: CLOUDFLARE_PLUGIN_VERSION,
  };
  const cliKey = `${versions.pulumiCli}-${sourceKey(CLI_MODULE_DIR, [versions.pulumiCli])}`;
  const providerKey = `${versions.cloudflarePlugin}-${sourceKey(PROVIDER_MODULE_DIR, Object.values(versions))}`;
  const nodeModules = join(REPO_ROOT, "node_modules");
  // The bin dir holds the CLI plus a launcher that names this checkout's node_modules, so its key
  // covers both. Plugins are not in it: the engine finds them in a plugin cache (src/engine/home.ts).
  const binKey = createHash("sha256").update(`${cliKey}\0${nodeModules}`).digest("hex").slice(0, 16);
  const providerDir = join(root, "cloudflare", providerKey);
  const schemaDir = join(providerDir, "schema");
  const binRoot = join(root, "dist", binKey);
  const cliDir = join(root, "pulumi-cli", cliKey);
  return {
    cacheRoot: root,
    versions,
    cli: { key: cliKey, dir: cliDir, binary: join(cliDir, "pulumi") },
    provider: {
      key: providerKey,
      dir: providerDir,
      tfgen: join(providerDir, "pulumi-tfgen-cloudflare"),
      schemaDir,
      schemaJson: join(schemaDir, "schema.json"),
      metadataJson: join(schemaDir, "bridge-metadata.json"),
      plugin: join(providerDir, "pulumi-resource-cloudflare"),
      workDir: join(root, "work", "cloudflare-provider"),
    },
    root: binRoot,
    binDir: join(binRoot, "bin"),
    nodeModules,
  };
}
