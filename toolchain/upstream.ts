// A writable copy of a pinned upstream Go module (the Terraform provider a plugin bridges), made once
// per version: downloaded with `go mod download` (checked against the checksum database), its hash
// compared with the pin, copied out of GOMODCACHE (which is read-only) and marked done. Shared by the
// Cloudflare and Docker plugin steps.
import { writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { cp, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { exists, makeWritable } from "./files";
import { BuildError, run } from "./run";

export interface UpstreamModule {
  /** Our module, for messages and logs, e.g. "toolchain/docker-provider". */
  module: string;
  /** Module path as downloaded, e.g. github.com/cloudflare/terraform-provider-cloudflare. */
  path: string;
  version: string;
  /** go.sum-style hash of the pinned version. */
  sum: string;
  /** Where the writable copy goes (<workDir>/tfcopy). */
  copy: string;
  /** Outside any module, so the download is a plain one. */
  cwd: string;
  log: string;
}

export async function ensureUpstreamCopy(u: UpstreamModule): Promise<void> {
  const marker = join(u.copy, ".zt-gitops-upstream");
  const wanted = `${u.path}@${u.version} ${u.sum}`;
  if (exists(marker) && readFileSync(marker, "utf8") === wanted) return;

  mkdirSync(dirname(u.copy), { recursive: true });
  await run({
    module: u.module,
    cmd: "go",
    args: ["mod", "download", "-json", `${u.path}@${u.version}`],
    cwd: u.cwd, // outside any module: a plain download, checked against the checksum database
    env: { GOFLAGS: "-mod=mod" },
    log: u.log,
  });
  const info = JSON.parse(readFileSync(u.log, "utf8").replace(/^\$.*\n/, "")) as { Dir: string; Sum: string };
  if (info.Sum !== u.sum) {
    throw new BuildError(`${u.module}: ${u.path}@${u.version} has hash ${info.Sum}, expected ${u.sum}.`);
  }
  // Asynchronous: the copy (tens of MB, thousands of files) must not stop the progress line.
  await rm(u.copy, { recursive: true, force: true });
  await cp(info.Dir, u.copy, { recursive: true });
  await makeWritable(u.copy);
  writeFileSync(marker, wanted);
}
