// One timed engine operation: wall time, the API calls it made (the emulator's request log), what it
// changed, and the peak resident memory of the engine's processes (the pulumi CLI and the resource
// plugins, sampled from /proc) and of this process (which hosts the inline program).
import { readdirSync, readFileSync } from "node:fs";
import type { RequestLogEntry } from "../emulator";
import { callsByMethod, capture } from "./harness/product-run";

export interface Measure {
  ms: number;
  calls: Record<string, number>;
  total: number;
  /** Resources the operation changed or would change (a no-change preview shows none). */
  changes: number;
  /** Names of those resources, sorted. */
  changed: string[];
  /** Requests answered 429 (Cloudflare's 1,200 per 5 minutes, emulated by default). */
  rateLimited: number;
  /** Peak RSS in MB: the CLI, the Cloudflare plugin, and this Node process (the program). */
  rssMb: { engine: number; plugin: number; program: number };
}

const ENGINE = /(^|\/)pulumi$/;
const PLUGIN = /pulumi-resource-cloudflare$/;

function rssKb(pid: string): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function exeOf(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
  } catch {
    return "";
  }
}

/** Samples every 100 ms until stopped; processes matched by their executable. */
function sampleRss(): () => Measure["rssMb"] {
  const peak = { engine: 0, plugin: 0, program: 0 };
  const tick = () => {
    let engine = 0;
    let plugin = 0;
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      const exe = exeOf(pid);
      if (ENGINE.test(exe)) engine += rssKb(pid);
      else if (PLUGIN.test(exe)) plugin += rssKb(pid);
    }
    peak.engine = Math.max(peak.engine, engine);
    peak.plugin = Math.max(peak.plugin, plugin);
    peak.program = Math.max(peak.program, process.memoryUsage().rss / 1024);
  };
  const timer = setInterval(tick, 100);
  tick();
  return () => {
    clearInterval(timer);
    tick();
    const mb = (kb: number) => Math.round(kb / 1024);
    return { engine: mb(peak.engine), plugin: mb(peak.plugin), program: mb(peak.program) };
  };
}

export async function measure(
  emulatorRequests: () => RequestLogEntry[],
  clear: () => void,
  op: (opts: ReturnType<typeof capture>["opts"]) => Promise<unknown>,
): Promise<Measure> {
  clear();
  const run = capture();
  const stop = sampleRss();
  const started = performance.now();
  await op(run.opts);
  const ms = performance.now() - started;
  const rssMb = stop();
  const requests = emulatorRequests();
  const changed = run
    .steps()
    .filter((s) => s.op !== "same")
    .map((s) => s.name)
    .sort();
  return {
    ms,
    calls: callsByMethod(requests),
    total: requests.length,
    changes: changed.length,
    changed,
    rateLimited: requests.filter((r) => r.status === 429).length,
    rssMb,
  };
}
