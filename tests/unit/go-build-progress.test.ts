// The cold-build progress reporter on recorded `go build -json -v` output (Go 1.26.8, empty GOCACHE:
// a program importing encoding/json, fmt and net/url; and a package with a compile error), with
// `go list -deps` of the same program, the packages it marks Stale (not in the cache), for the total.
// Recorded with (GOCACHE empty for both):
//   CGO_ENABLED=0 go list -deps -trimpath -f '{{if .Stale}}{{.ImportPath}}{{end}}' ./ok > encoding-json.stale.txt
//   CGO_ENABLED=0 go build -json -v -o /dev/null ./ok > encoding-json.jsonl
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  countDeps,
  GoBuildProgress,
  minutes,
  pastCompilePhase,
  ProgressReporter,
} from "../../toolchain/progress";
import { availableMemory, coldEstimate, parallelParts, runStaggered } from "../../toolchain/schedule";

const fixture = (name: string) => readFileSync(join(__dirname, "go-build-json", name), "utf8");
const lines = (text: string) => text.split("\n").filter(Boolean);

describe("go build -json -v progress", () => {
  it("counts each package as it starts compiling, against the stale ones of go list -deps", () => {
    const p = new GoBuildProgress("example");
    p.total = countDeps(fixture("encoding-json.stale.txt"));
    // 72 packages in the graph; `unsafe` is built into the compiler, never stale.
    expect(p.total).toBe(71);
    const log = lines(fixture("encoding-json.jsonl"))
      .map((l) => p.feed(l))
      .join("");
    // On an empty cache every stale package is compiled.
    expect(p.compiled).toBe(71);
    expect(p.last).toBe("example.com/rec/ok");
    expect(p.failed).toEqual([]);
    expect(p.summary()).toBe("example 71 of 71 packages (100%)");
    // The log reads like plain `go build -v`: one import path per line.
    expect(log.split("\n")[0]).toBe("internal/unsafeheader");
    expect(log).toContain("\nencoding/json\n");
  });

  it("keeps compiler messages for the log and notes the failed package", () => {
    const p = new GoBuildProgress("bad");
    const log = lines(fixture("compile-error.jsonl"))
      .map((l) => p.feed(l))
      .join("");
    expect(p.compiled).toBe(1);
    expect(p.failed).toEqual(["example.com/rec/bad"]);
    expect(log).toBe("example.com/rec/bad\n# example.com/rec/bad\nbad/main.go:5:27: undefined: y\n");
  });

  it("passes plain lines through, and has no total until go list answers", () => {
    const p = new GoBuildProgress("cli");
    expect(p.feed("go: downloading example.com/x v1.0.0")).toBe("go: downloading example.com/x v1.0.0\n");
    expect(p.summary()).toBe("cli 0 packages");
  });
});

describe("the reporter", () => {
  it("prints elapsed time and every running build on each tick", () => {
    let now = 0;
    const running = new Set<GoBuildProgress>();
    const r = new ProgressReporter(
      () => {},
      0,
      () => now,
      running,
    );
    const cli = new GoBuildProgress("pulumi CLI");
    const tfgen = new GoBuildProgress("pulumi-tfgen-cloudflare");
    cli.total = 1665;
    tfgen.total = 1686;
    running.add(cli).add(tfgen);
    for (const l of lines(fixture("encoding-json.jsonl")).slice(0, 10)) cli.feed(l);
    now = 135_000;
    expect(r.line()).toBe(
      "  ... 2m15s elapsed: pulumi CLI 10 of 1665 packages (1%); pulumi-tfgen-cloudflare 0 of 1686 packages (0%)",
    );
    running.clear();
    expect(r.line()).toBe("  ... 2m15s elapsed: working");
    expect(minutes(9_400)).toBe("9s");
  });

  it("ticks at least every 15 seconds by default", () => {
    vi.useFakeTimers();
    try {
      const printed: number[] = [];
      const r = new ProgressReporter(() => printed.push(Date.now()), Date.now(), Date.now, new Set());
      r.start();
      vi.advanceTimersByTime(15_000);
      expect(printed).toHaveLength(1);
      vi.advanceTimersByTime(60_000);
      expect(printed.length).toBeGreaterThanOrEqual(5);
      const gaps = printed.slice(1).map((t, i) => t - printed[i]);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(15_000);
      r.stop();
      vi.advanceTimersByTime(60_000);
      expect(printed.length).toBeLessThanOrEqual(8);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("scheduling and the estimate", () => {
  it("builds two parts at once from 6 GiB available, one below, as ZT_TOOLCHAIN_JOBS says otherwise", () => {
    const GiB = 1024 ** 3;
    expect(parallelParts(2, {}, 5.9 * GiB)).toBe(1);
    expect(parallelParts(2, {}, 6.1 * GiB)).toBe(2);
    expect(parallelParts(3, {}, 21 * GiB)).toBe(3);
    expect(parallelParts(2, { ZT_TOOLCHAIN_JOBS: "1" }, 21 * GiB)).toBe(1);
    expect(availableMemory("MemTotal: 100 kB\nMemAvailable:    2048 kB\n")).toBe(2048 * 1024);
  });

  it("runs at most `limit` tasks at a time, the next only once overlap is cheap, and reports the first failure", async () => {
    let running = 0;
    let peak = 0;
    const started: string[] = [];
    const task =
      (name: string, ms = 30, fail = false) =>
      async () => {
        started.push(name);
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, ms));
        running -= 1;
        if (fail) throw new Error("boom");
      };
    await runStaggered([task("a"), task("b"), task("c")], 2, () => true, 1);
    expect(peak).toBe(2);
    // Overlap never cheap: one after the other, in order.
    peak = 0;
    await runStaggered([task("d"), task("e")], 2, () => false, 1);
    expect(peak).toBe(1);
    // Overlap cheap once the first is half-way.
    peak = 0;
    let t0 = Date.now();
    await runStaggered([task("f", 60), task("g", 60)], 2, () => Date.now() - t0 > 30, 1);
    expect(peak).toBe(2);
    expect(started).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
    t0 = Date.now();
    await expect(runStaggered([task("h"), task("i", 10, true)], 2, () => true, 1)).rejects.toThrow("boom");
  });

  it("counts a Go build as past its compile phase from 99% of its packages", () => {
    const running = new Set<GoBuildProgress>();
    expect(pastCompilePhase(running)).toBe(false);
    const p = new GoBuildProgress("example");
    running.add(p);
    const events = lines(fixture("encoding-json.jsonl"));
    for (const l of events.slice(0, 69)) p.feed(l);
    expect(pastCompilePhase(running)).toBe(false); // no total yet
    p.total = 71;
    expect(pastCompilePhase(running)).toBe(false); // 69 of 71
    p.feed(events[69]);
    expect(pastCompilePhase(running)).toBe(true); // 70 of 71: the last package and the link are left
  });

  it("says up front how long a cold build takes on how many cores", () => {
    const s = [
      { name: "pulumi CLI (toolchain/pulumi-cli)", coldSeconds: 207 },
      { name: "schema generator pulumi-tfgen-cloudflare (toolchain/cloudflare-provider)", coldSeconds: 419 },
      { name: "schema.json (tfgen schema)" },
      { name: "plugin pulumi-resource-cloudflare (toolchain/cloudflare-provider)", coldSeconds: 18 },
    ];
    expect(coldEstimate(s, 2)).toMatch(
      /^A cold build .* takes about 11 min on 2 idle cores \(toolchain\/MEASUREMENTS.md: pulumi CLI 3 min, schema generator pulumi-tfgen-cloudflare 7 min, plugin pulumi-resource-cloudflare 18 s\); this machine has 2 cores: expect ~11 min/,
    );
    expect(coldEstimate(s, 4)).toContain("this machine has 4 cores: expect ~5 min");
    expect(coldEstimate([{ name: "bin dir" }], 2)).toBe("");
  });
});
