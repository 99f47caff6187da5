// Progress of a cold Go build, which otherwise says nothing for minutes. `go build -json -v` emits
// one `build-output` event naming each package as its compilation starts (cached packages say
// nothing), and compiler messages as further `build-output` events; `go list -deps` gives the total
// (the packages it marks Stale: on a half-warm cache, only those are compiled).
// A reporter prints one line for all running builds at a fixed interval, so the longest silence is
// that interval whatever Go is doing (the final link prints nothing).

export interface BuildEvent {
  ImportPath?: string;
  Action?: string;
  Output?: string;
}

export class GoBuildProgress {
  /** Packages to compile: those `go list -deps` marks Stale (not in Go's build cache), once known. */
  total?: number;
  compiled = 0;
  failed: string[] = [];
  last?: string;

  constructor(readonly label: string) {}

  /**
   * One line of `go build -json` stdout. Returns the text it carries for the log (compiler output
   * verbatim, the package names that -v prints), so the log reads like a plain `go build -v`.
   */
  feed(line: string): string {
    if (!line.startsWith("{")) return `${line}\n`;
    let e: BuildEvent;
    try {
      e = JSON.parse(line) as BuildEvent;
    } catch {
      return `${line}\n`;
    }
    if (e.Action === "build-fail" && e.ImportPath) {
      this.failed.push(e.ImportPath);
      return "";
    }
    if (e.Action !== "build-output" || e.Output === undefined) return "";
    if (e.ImportPath && e.Output === `${e.ImportPath}\n`) {
      this.compiled += 1;
      this.last = e.ImportPath;
    }
    return e.Output;
  }

  summary(): string {
    const of = this.total ? ` of ${this.total}` : "";
    const pct = this.total ? ` (${Math.min(100, Math.round((100 * this.compiled) / this.total))}%)` : "";
    return `${this.label} ${this.compiled}${of} packages${pct}`;
  }
}

export const minutes = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
};

/** Counts the packages `go list -deps` printed (one import path per line). */
export const countDeps = (listing: string) => listing.split("\n").filter((l) => l.trim() !== "").length;

/** The Go builds now running (run.ts adds and removes them), for the reporter. */
export const RUNNING = new Set<GoBuildProgress>();

/**
 * True while some Go build runs and every running one has started at least 99% of the packages it
 * compiles: what is left is the last few packages and the link.
 */
export function pastCompilePhase(running: Set<GoBuildProgress> = RUNNING): boolean {
  return (
    running.size > 0 &&
    [...running].every((p) => p.total !== undefined && p.compiled >= Math.floor(p.total * 0.99))
  );
}

export class ProgressReporter {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly print: (line: string) => void,
    private readonly started = Date.now(),
    private readonly now: () => number = Date.now,
    private readonly running: Set<GoBuildProgress> = RUNNING,
  ) {}

  /** The line printed at each tick: elapsed time, then each running build. */
  line(): string {
    const parts = [...this.running].map((p) => p.summary());
    return `  ... ${minutes(this.now() - this.started)} elapsed: ${parts.join("; ") || "working"}`;
  }

  /** Ticks every intervalMs (default 10 s: well inside the 15 s a person waits before worrying). */
  start(intervalMs = 10_000): void {
    this.timer ??= setInterval(() => this.print(this.line()), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
