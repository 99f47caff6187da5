import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { EngineSetupError } from "./settings";

// The file backend's stack lock (pulumi/pkg/backend/diy/lock.go at v3.256.0): while an update runs, the
// CLI keeps `<backend>/.pulumi/locks/<org>/<project>/<stack>/<uuid>.json` holding
// {pid, username, hostname, timestamp}, and a second update stops with "the stack is currently locked by
// N lock(s)". A run killed with SIGKILL leaves its file behind. Here: who holds it, said plainly, and a
// lock whose process is gone from this machine removed (nothing else can be running under it).

export interface LockHolder {
  pid: number;
  username: string;
  hostname: string;
  timestamp: string;
  /** The lock file, when the backend is a local directory. */
  file?: string;
}

export function describeHolder(h: LockHolder): string {
  return `${h.username}@${h.hostname} (pid ${h.pid}) since ${h.timestamp}`;
}

export class StackLockedError extends EngineSetupError {
  constructor(
    readonly stackName: string,
    readonly holders: LockHolder[],
  ) {
    super(
      [
        `The stack "${stackName}" is locked by another update that is still running:`,
        ...holders.map((h) => `  held by ${describeHolder(h)}${h.file ? ` (lock file ${h.file})` : ""}`),
        `Wait for it to finish and run this again. Nothing was changed by this run.`,
      ].join("\n"),
    );
  }
}

function lockRoot(backendUrl: string): string | undefined {
  if (!backendUrl.startsWith("file://")) return undefined;
  return join(fileURLToPath(backendUrl.replace(/^file:\/\/(?!\/)/, "file:///")), ".pulumi", "locks");
}

function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** The stack's lock files in a file backend (none for other backends). */
export function readLockHolders(backendUrl: string, project: string, stack: string): LockHolder[] {
  const root = lockRoot(backendUrl);
  if (!root) return [];
  // Project-scoped (…/<org>/<project>/<stack>/) and legacy (…/<stack>/) layouts.
  const scoped = `${sep}${project}${sep}${stack}${sep}`;
  return walk(root)
    .filter(
      (f) => f.endsWith(".json") && (f.includes(scoped) || f === join(root, stack, f.split(sep).pop()!)),
    )
    .flatMap((file) => {
      try {
        const c = JSON.parse(readFileSync(file, "utf8")) as Partial<LockHolder>;
        return [
          {
            pid: Number(c.pid),
            username: String(c.username ?? "?"),
            hostname: String(c.hostname ?? "?"),
            timestamp: String(c.timestamp ?? "?"),
            file,
          },
        ];
      } catch {
        return [];
      }
    });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Left by a process of this machine that no longer runs: nothing holds it. */
export function isStale(h: LockHolder, host = hostname()): boolean {
  return h.hostname === host && Number.isInteger(h.pid) && h.pid > 0 && !alive(h.pid);
}

/**
 * Before an update: removes stale locks (returned, to be reported) and throws StackLockedError naming
 * the holders of live ones.
 */
export function checkStackLock(backendUrl: string, project: string, stack: string): LockHolder[] {
  const holders = readLockHolders(backendUrl, project, stack);
  const stale = holders.filter((h) => isStale(h));
  for (const h of stale) if (h.file) rmSync(h.file, { force: true });
  const live = holders.filter((h) => !stale.includes(h));
  if (live.length > 0) throw new StackLockedError(stack, live);
  return stale;
}

/** The holders named in the CLI's own lock error (any backend). */
export function holdersFromMessage(message: string): LockHolder[] {
  const re = /created by (.+?)@(\S+) \(pid (\d+)\) at (\S+)/g;
  return [...message.matchAll(re)].map((m) => ({
    username: m[1],
    hostname: m[2],
    pid: Number(m[3]),
    timestamp: m[4],
  }));
}
