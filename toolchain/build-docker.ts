// Steps: the bridged Docker plugin (issue 18). Like build-provider.ts: upstream's provider code is
// in internal/, so we build inside a writable copy of its module, <workDir>/tfcopy, with our shell
// plus the upstream files we serve as package tfcopy/ztshell; our module (copied to <workDir>)
// replaces upstream with ./tfcopy. The stable workDir keeps Go's build cache warm.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GO_BUILD_FLAGS, GO_ENV, type Layout } from "./layout";
import {
  DOCKER_MODULE_DIR,
  DOCKER_PLUGIN_VERSION,
  DOCKER_TF_DOWNLOAD,
  dockerLayout,
  UPSTREAM_FILES,
  type DockerLayout,
} from "./docker-layout";
import { exists, publish, tempPath } from "./files";
import { ensureUpstreamCopy } from "./upstream";
import { BuildError, run } from "./run";

/** go.sum-style hash of the pinned upstream commit; the replace keeps it out of our go.sum. */
const UPSTREAM_SUM = "h1:T3HvvZCRd4h2qkMl+SXA2zza26Rdz8xqV81skikQWy4=";
const MODULE = "toolchain/docker-provider";

const logFile = (l: Layout, name: string) => join(l.cacheRoot, "logs", `docker-${name}.log`);

const upstreamCopy = (l: Layout, d: DockerLayout) =>
  ensureUpstreamCopy({
    module: MODULE,
    path: DOCKER_TF_DOWNLOAD,
    version: d.versions.terraformProvider,
    sum: UPSTREAM_SUM,
    copy: join(d.workDir, "tfcopy"),
    cwd: l.cacheRoot,
    log: logFile(l, "upstream-download"),
  });

/** Our module's sources, the shell package (upstream files + ours) and the embedded files. */
async function prepareWorkDir(
  l: Layout,
  d: DockerLayout,
  embedded: { metadata: string; schema: string },
): Promise<void> {
  await upstreamCopy(l, d);
  const w = d.workDir;
  const shell = join(w, "tfcopy", "ztshell");
  for (const dir of ["bridge", "cmd", shell]) rmSync(join(w, dir), { recursive: true, force: true });
  mkdirSync(shell, { recursive: true });
  for (const f of UPSTREAM_FILES) cpSync(join(w, "tfcopy", "internal", "provider", f), join(shell, f));
  cpSync(join(DOCKER_MODULE_DIR, "_tfshell"), shell, { recursive: true });
  cpSync(join(DOCKER_MODULE_DIR, "bridge"), join(w, "bridge"), { recursive: true });
  cpSync(join(DOCKER_MODULE_DIR, "cmd"), join(w, "cmd"), { recursive: true });
  for (const f of ["go.mod", "go.sum"]) cpSync(join(DOCKER_MODULE_DIR, f), join(w, f));
  writeFileSync(join(w, "bridge", "bridge-metadata.json"), embedded.metadata);
  writeFileSync(join(w, "cmd", "pulumi-resource-docker", "schema.json"), embedded.schema);
}

async function goBuild(l: Layout, d: DockerLayout, pkg: string, out: string): Promise<void> {
  const temp = tempPath(out);
  await run({
    module: MODULE,
    cmd: "go",
    args: ["build", ...GO_BUILD_FLAGS, "-ldflags", "-s -w", "-o", temp, pkg],
    cwd: d.workDir,
    env: GO_ENV,
    log: logFile(l, pkg.split("/").pop()!),
  });
  publish(temp, out);
}

export const dockerTfgenReady = (l: Layout) => exists(dockerLayout(l.cacheRoot).tfgen);
export const dockerSchemaReady = (l: Layout) => exists(dockerLayout(l.cacheRoot).schemaJson);
export const dockerPluginReady = (l: Layout) => exists(dockerLayout(l.cacheRoot).plugin);

export async function buildDockerTfgen(l: Layout): Promise<void> {
  const d = dockerLayout(l.cacheRoot);
  await prepareWorkDir(l, d, { metadata: "{}", schema: "{}" });
  await goBuild(l, d, "./cmd/pulumi-tfgen-docker", d.tfgen);
}

export async function generateDockerSchema(l: Layout): Promise<void> {
  const d = dockerLayout(l.cacheRoot);
  const temp = tempPath(d.schemaDir);
  rmSync(temp, { recursive: true, force: true });
  await run({
    module: MODULE,
    cmd: d.tfgen,
    args: ["schema", "--skip-docs", "--skip-examples", "--out", temp],
    cwd: d.workDir,
    log: logFile(l, "tfgen-schema"),
  });
  publish(temp, d.schemaDir);
}

export async function buildDockerPlugin(l: Layout): Promise<void> {
  const d = dockerLayout(l.cacheRoot);
  await prepareWorkDir(l, d, {
    metadata: readFileSync(d.metadataJson, "utf8"),
    schema: readFileSync(d.schemaJson, "utf8"),
  });
  await goBuild(l, d, "./cmd/pulumi-resource-docker", d.plugin);
  const reported = execFileSync(d.plugin, ["-version"], { encoding: "utf8" }).trim();
  if (reported !== DOCKER_PLUGIN_VERSION) {
    rmSync(d.plugin);
    throw new BuildError(
      `${MODULE}: the plugin reports version ${reported}, expected ${DOCKER_PLUGIN_VERSION}.`,
    );
  }
}
