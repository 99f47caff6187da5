// Running one build command: timed, logged to a file, and failing with everything needed to
// reproduce it by hand.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";

export interface Command {
  /** Which Go module (or step) this is, for the error message. */
  module: string;
  cmd: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  log: string;
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
export function run(c: Command): Promise<void> {
  mkdirSync(dirname(c.log), { recursive: true });
  const log = createWriteStream(c.log);
  log.write(`$ ${shellLine(c)}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(c.cmd, c.args, {
      cwd: c.cwd,
      env: { ...process.env, ...c.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let tail = "";
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (err) => finish(`could not start ${c.cmd}: ${err.message}`));
    child.on("close", (code, signal) => finish(code === 0 ? undefined : `exit ${code ?? signal}`));
    let done = false;
    function finish(problem?: string) {
      if (done) return;
      done = true;
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
