// Step: the bin dir the built CLI runs from. Real files (hard links), not symlinks: the CLI finds
// bundled plugins such as pulumi-resource-pulumi-nodejs next to its own resolved executable.
// Resource plugins are not here: the engine loads them from a plugin cache (src/engine/home.ts).
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Layout } from "./layout";
import { exists, linkOrCopy, publish, tempPath } from "./files";

const LAUNCHER = "pulumi-resource-pulumi-nodejs";

/**
 * The dynamic-provider launcher that ships in @pulumi/pulumi resolves the provider script with
 * `require.resolve` from its working directory, which fails for projects outside this checkout
 * (tests use temp dirs). NODE_PATH makes it fall back to this checkout's node_modules;
 * ZT_GITOPS_NODE_MODULES (set by src/engine) overrides the baked-in default.
 */
function launcherScript(nodeModules: string): string {
  return `#!/bin/sh
# Written by toolchain/bin-dir.ts. Runs the dynamic-provider host shipped in @pulumi/pulumi.
nm="\${ZT_GITOPS_NODE_MODULES:-${nodeModules}}"
export NODE_PATH="$nm\${NODE_PATH:+:$NODE_PATH}"
exec "$nm/@pulumi/pulumi/${LAUNCHER}" "$@"
`;
}

export function binDirReady(l: Layout): boolean {
  return ["pulumi", LAUNCHER].every((f) => exists(join(l.binDir, f)));
}

export function assembleBinDir(l: Layout): void {
  const temp = tempPath(l.root);
  rmSync(temp, { recursive: true, force: true });
  const bin = join(temp, "bin");
  mkdirSync(bin, { recursive: true });
  linkOrCopy(l.cli.binary, join(bin, "pulumi"));
  writeFileSync(join(bin, LAUNCHER), launcherScript(l.nodeModules));
  chmodSync(join(bin, LAUNCHER), 0o755);
  publish(temp, l.root);
}
