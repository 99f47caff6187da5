import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stackValuesFromText } from "../config/stack-file";
import { isoDay } from "../model/desired";
import { SideTexts } from "./inputs";

// Reading the two sides of a plan: a Git ref (`git show REF:path`) and the working tree. Everything
// after this file is pure.

export class GitError extends Error {
  override name = "GitError";
}

function git(cwd: string, args: string[]): string {
  return gitBytes(cwd, args).toString("utf8");
}

function gitBytes(cwd: string, args: string[]): Buffer {
  return execFileSync("git", args, { cwd, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
}

function tryGit(cwd: string, args: string[]): string | undefined {
  try {
    return git(cwd, args);
  } catch {
    return undefined;
  }
}

export function refExists(cwd: string, ref: string): boolean {
  return tryGit(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]) !== undefined;
}

/** `origin/main` when the remote branch is there (CI, a normal clone), else the local `main`. */
export function defaultBase(cwd: string): string {
  for (const ref of ["origin/main", "main"]) if (refExists(cwd, ref)) return ref;
  throw new GitError("neither origin/main nor main exists here: pass --base REF (a branch, tag or commit)");
}

export interface RefInfo {
  ref: string;
  short: string;
  /** Commit day (UTC): expiry at base is evaluated on the day the base was committed. */
  day: string;
}

export function resolveRef(cwd: string, ref: string): RefInfo {
  if (!refExists(cwd, ref))
    throw new GitError(
      `${ref} is not a commit in this repository (fetch it first, e.g. \`git fetch origin main\`)`,
    );
  const [sha, seconds] = git(cwd, ["log", "-1", "--format=%h %ct", `${ref}^{commit}`])
    .trim()
    .split(" ");
  return { ref, short: sha, day: isoDay(new Date(Number(seconds) * 1000)) };
}

/** The file's text at REF, or undefined when it does not exist there. `path` is relative to `cwd`. */
export function showFile(cwd: string, ref: string, path: string): string | undefined {
  return showBytes(cwd, ref, path)?.toString("utf8");
}

/** The file's bytes at REF (users.yaml: its loader checks the encoding), or undefined. */
function showBytes(cwd: string, ref: string, path: string): Buffer | undefined {
  const spec = `${ref}:./${path}`;
  if (tryGit(cwd, ["cat-file", "-e", spec]) === undefined) return undefined;
  return gitBytes(cwd, ["show", spec]);
}

function readWorkingBytes(dir: string, path: string): Buffer | undefined {
  const full = join(dir, path);
  return existsSync(full) ? readFileSync(full) : undefined;
}

function readWorking(dir: string, path: string): string | undefined {
  return readWorkingBytes(dir, path)?.toString("utf8");
}

/** users.yaml's name comes from the stack config (zt:usersFile); read it without validating anything else. */
function usersFileFrom(stackText: string | undefined): string {
  if (stackText === undefined) return "users.yaml";
  try {
    const value = stackValuesFromText(stackText).usersFile;
    return typeof value === "string" && value !== "" ? value : "users.yaml";
  } catch {
    return "users.yaml"; // a broken stack file is reported by parseSide; the users file keeps its default name
  }
}

export function baseTexts(cwd: string, info: RefInfo, stack: string): SideTexts {
  const stackFile = `Pulumi.${stack}.yaml`;
  const stackText = showFile(cwd, info.ref, stackFile);
  const usersFile = usersFileFrom(stackText);
  return {
    label: `${code(info.ref)} (${info.short})`,
    day: info.day,
    usersFile,
    usersText: showBytes(cwd, info.ref, usersFile),
    stackFile,
    stackText,
  };
}

export function workingTexts(dir: string, stack: string, today: string, label = "this change"): SideTexts {
  const stackFile = `Pulumi.${stack}.yaml`;
  const stackText = readWorking(dir, stackFile);
  const usersFile = usersFileFrom(stackText);
  return {
    label,
    day: today,
    usersFile,
    usersText: readWorkingBytes(dir, usersFile),
    stackFile,
    stackText,
    stackPathForPositions: join(dir, stackFile),
  };
}

const code = (s: string) => `\`${s}\``;
