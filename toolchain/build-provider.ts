// Steps: the bridged Cloudflare provider. Cloudflare's Terraform services are internal to their
// module, so we build inside a writable copy of it: <workDir>/tfcopy holds the upstream module
// plus our shell as package ztshell, and our module (copied to <workDir>) replaces upstream with
// ./tfcopy. The workDir path is stable so Go's build cache stays warm when our sources change.
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GO_BUILD_FLAGS, GO_ENV, PROVIDER_MODULE_DIR, type Layout } from "./layout";
import { exists, publish, tempPath } from "./files";
import { ensureUpstreamCopy } from "./upstream";
import { BuildError, run } from "./run";

const UPSTREAM = "github.com/cloudflare/terraform-provider-cloudflare";
/** go.sum-style hash of the pinned upstream commit; the replace keeps it out of our go.sum. */
const UPSTREAM_SUM = "h1:LJdO8KLQB9tIgKEeEzYtiVAQMr+RNCM7cwBchd2hZ7k=";
const MODULE = "toolchain/cloudflare-provider";

function logFile(l: Layout, name: string) {
  return join(l.cacheRoot, "logs", `${name}.log`);
}

/** Copies the upstream module out of GOMODCACHE once per version (marker file inside the copy). */
const upstreamCopy = (l: Layout) =>
  ensureUpstreamCopy({
    module: MODULE,
    path: UPSTREAM,
    version: l.versions.terraformProvider,
    sum: UPSTREAM_SUM,
    copy: join(l.provider.workDir, "tfcopy"),
    cwd: l.cacheRoot,
    log: logFile(l, "upstream-download"),
  });

/** Puts our module's current sources into the work dir, with the given embedded files. */
async function prepareWorkDir(l: Layout, embedded: { metadata: string; schema: string }): Promise<void> {
  await upstreamCopy(l);
  const w = l.provider.workDir;
  for (const dir of ["bridge", "cmd", "tfcopy/ztshell"])
    rmSync(join(w, dir), { recursive: true, force: true });
  cpSync(join(PROVIDER_MODULE_DIR, "bridge"), join(w, "bridge"), { recursive: true });
  cpSync(join(PROVIDER_MODULE_DIR, "cmd"), join(w, "cmd"), { recursive: true });
  cpSync(join(PROVIDER_MODULE_DIR, "_tfshell"), join(w, "tfcopy", "ztshell"), { recursive: true });
  for (const f of ["go.mod", "go.sum"]) cpSync(join(PROVIDER_MODULE_DIR, f), join(w, f));
  writeFileSync(join(w, "bridge", "bridge-metadata.json"), embedded.metadata);
  writeFileSync(join(w, "cmd", "pulumi-resource-cloudflare", "schema.json"), embedded.schema);
}

async function goBuild(l: Layout, pkg: string, out: string): Promise<void> {
  const temp = tempPath(out);
  await run({
    module: MODULE,
    cmd: "go",
    args: ["build", ...GO_BUILD_FLAGS, "-ldflags", "-s -w", "-o", temp, pkg],
    cwd: l.provider.workDir,
    env: GO_ENV,
    log: logFile(l, pkg.split("/").pop()!),
    progress: { label: pkg.split("/").pop()!, pkg },
  });
  publish(temp, out);
}

export const tfgenReady = (l: Layout) => exists(l.provider.tfgen);

export async function buildTfgen(l: Layout): Promise<void> {
  // tfgen starts from empty metadata and writes the real bridge-metadata.json itself.
  await prepareWorkDir(l, { metadata: "{}", schema: "{}" });
  await goBuild(l, "./cmd/pulumi-tfgen-cloudflare", l.provider.tfgen);
}

export const schemaReady = (l: Layout) => exists(l.provider.schemaJson);

export async function generateSchema(l: Layout): Promise<void> {
  const temp = tempPath(l.provider.schemaDir);
  rmSync(temp, { recursive: true, force: true });
  await run({
    module: MODULE,
    cmd: l.provider.tfgen,
    args: ["schema", "--skip-docs", "--skip-examples", "--out", temp],
    cwd: l.provider.workDir,
    log: logFile(l, "tfgen-schema"),
  });
  publish(temp, l.provider.schemaDir);
}

export const pluginReady = (l: Layout) => exists(l.provider.plugin);

export async function buildPlugin(l: Layout): Promise<void> {
  await prepareWorkDir(l, {
    metadata: readFileSync(l.provider.metadataJson, "utf8"),
    schema: readFileSync(l.provider.schemaJson, "utf8"),
  });
  await goBuild(l, "./cmd/pulumi-resource-cloudflare", l.provider.plugin);
  const reported = execFileSync(l.provider.plugin, ["-version"], { encoding: "utf8" }).trim();
  if (reported !== l.versions.cloudflarePlugin) {
    rmSync(l.provider.plugin);
    throw new BuildError(
      `${MODULE}: the plugin reports version ${reported}, expected ${l.versions.cloudflarePlugin}.`,
    );
  }
}
