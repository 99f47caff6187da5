// Running one build command: timed, logged to a file, and failing with everything needed to
// reproduce it by hand.
import { execFile, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { countDeps, GoBuildProgress, RUNNING } from "./progress";

export interface Command {
  /** Which Go module (or step) this is, for the error message. */
  module: string;
  cmd: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  log: string;
  /**
   * For `go build`: report progress under this label. Adds `-json -v` (the log still gets plain
   * text) and counts the packages to compile (`go list -deps`, the stale ones) for the total.
   */
  progress?: { label: string; pkg: string };
}

export class BuildError extends Error {
  override name = "BuildError";
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function shellLine(c: Command): string {
  const env = Object.entries(c.env ?? {}).map(([k, v]) => `${k}=${quote(v)}`);
  return `cd ${quote(c.cwd)} && ${[...env, c.cmd, ...c.args].map((s, i) => (i < env.length ? s : quote(s))).join(" ")}`;
}

/** Runs the command with its output going to c.log; rejects with a BuildError that says how to retry. */
/**
 * How many packages of `pkg`'s build graph the build must compile: `go list -deps` marks each one
 * Stale unless Go's build cache has it (with the build's own -trimpath and -tags, which change the
 * cache keys). Undefined if `go list` fails: progress then has no total.
 */
function goListStaleCount(c: Command, pkg: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile(
      "go",
      ["list", "-deps", ...sameKeys(c.args), "-f", "{{if .Stale}}{{.ImportPath}}{{end}}", pkg],
      { cwd: c.cwd, env: { ...process.env, ...c.env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout) => resolve(err ? undefined : countDeps(stdout)),
    );
  });
}

/** The build flags that change what `go list` sees or how packages are keyed in the cache. */
function sameKeys(args: string[]): string[] {
  const i = args.indexOf("-tags");
  return [
    ...(args.includes("-trimpath") ? ["-trimpath"] : []),
    ...(i >= 0 && args[i + 1] ? ["-tags", args[i + 1]] : []),
  ];
}

export function run(c: Command): Promise<void> {
  mkdirSync(dirname(c.log), { recursive: true });
  const log = createWriteStream(c.log);
  const progress = c.progress ? new GoBuildProgress(c.progress.label) : undefined;
  const args = progress && c.args[0] === "build" ? ["build", "-json", "-v", ...c.args.slice(1)] : c.args;
  log.write(`$ ${shellLine({ ...c, args })}\n`);
  if (progress && c.progress) {
    RUNNING.add(progress);
    void goListStaleCount(c, c.progress.pkg).then((n) => (progress.total = n));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(c.cmd, args, {
      cwd: c.cwd,
      env: { ...process.env, ...c.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let tail = "";
    const keep = (chunk: Buffer | string) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    };
    // With -json, stdout is one event per line: the log and the error tail get the text they carry.
    let partial = "";
    const events = (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      const text = lines.map((l) => progress!.feed(l)).join("");
      if (text) keep(text);
    };
    child.stdout.on("data", progress ? events : keep);
    child.stderr.on("data", keep);
    child.on("error", (err) => finish(`could not start ${c.cmd}: ${err.message}`));
    child.on("close", (code, signal) => finish(code === 0 ? undefined : `exit ${code ?? signal}`));
    let done = false;
    function finish(problem?: string) {
      if (done) return;
      done = true;
      if (progress) {
        if (partial) keep(progress.feed(partial));
        RUNNING.delete(progress);
      }
      log.end(() => {
        if (!problem) return resolve();
        const lastLines = tail.trimEnd().split("\n").slice(-25).join("\n");
        reject(
          new BuildError(
            `${c.module}: build step failed (${problem}).\n` +
              `Command:\n  ${shellLine(c)}\n` +
              `Last output (full log: ${c.log}):\n${lastLines}\n` +
              `Retry: fix the cause, then run \`npm run toolchain\` again (finished steps are kept), ` +
              `or run the command above by hand.`,
          ),
        );
      });
    }
  });
}
