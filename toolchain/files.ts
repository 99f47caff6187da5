// Small filesystem helpers for the build steps: outputs appear atomically (temp + rename), so an
// interrupted build never leaves a file that a later warm run would trust.
import {
  chmodSync,
  existsSync,
  linkSync,
  copyFileSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { chmod, readdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";

export const exists = (p: string) => existsSync(p);

export function tempPath(target: string): string {
  return `${target}.tmp-${process.pid}`;
}

/** Moves a finished temp file or directory into place. */
export function publish(temp: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(temp, target);
}

/** Hard link (no copy of 100+ MB) when on the same filesystem, else a copy. */
export function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
    chmodSync(to, statSync(from).mode);
  }
}

/** Go's module cache is read-only; the build copy must be writable (and removable later). */
export async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await makeWritable(full);
    else await chmod(full, 0o644 | ((await stat(full)).mode & 0o111));
  }
}
