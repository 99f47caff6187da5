// How many independent parts (the CLI, each plugin) build at once, and what to tell a person before a
// cold build starts. Figures: toolchain/MEASUREMENTS.md.
import { readFileSync } from "node:fs";
import { cpus, freemem } from "node:os";

const GiB = 1024 ** 3;

/** Peak RSS of the largest Go build here (the schema generator: 3.5 GB), rounded up with headroom. */
export const GIB_PER_BUILD = 3;

/** MemAvailable (what the kernel can hand out without swapping), else free memory. */
export function availableMemory(meminfo?: string): number {
  let text = meminfo;
  if (text === undefined) {
    try {
      text = readFileSync("/proc/meminfo", "utf8");
    } catch {
      return freemem();
    }
  }
  const m = text.match(/^MemAvailable:\s+(\d+) kB/m);
  return m ? Number(m[1]) * 1024 : freemem();
}

/**
 * Parts built at once: one per GIB_PER_BUILD of available memory (so two from ~6 GB), at most
 * `parts`; ZT_TOOLCHAIN_JOBS overrides (1 = one after the other).
 */
export function parallelParts(parts: number, env: NodeJS.ProcessEnv, available = availableMemory()): number {
  const forced = Number(env.ZT_TOOLCHAIN_JOBS);
  if (Number.isInteger(forced) && forced > 0) return Math.min(forced, Math.max(parts, 1));
  return Math.max(1, Math.min(parts, Math.floor(available / (GIB_PER_BUILD * GiB))));
}

/**
 * Runs the tasks in order, at most `limit` at a time, starting the next one only while every running
 * one is past the point where overlap costs nothing (`overlapOk`, e.g. a Go build that has started
 * all its packages and is linking). The CLI and the schema generator share ~1,200 of their ~1,670
 * packages, so two cold builds started together would compile those twice; staggered, the second
 * finds them in the cache and fills the cores the first one's link leaves idle.
 * The first failure rejects once the running tasks end.
 */
export async function runStaggered(
  tasks: Array<() => Promise<void>>,
  limit: number,
  overlapOk: () => boolean = () => true,
  pollMs = 1000,
): Promise<void> {
  const running = new Set<Promise<void>>();
  const errors: unknown[] = [];
  const tick = () => new Promise<void>((resolve) => setTimeout(resolve, pollMs));
  for (const task of tasks) {
    while (errors.length === 0 && (running.size >= limit || (running.size > 0 && !overlapOk())))
      await Promise.race([...running, tick()]);
    if (errors.length > 0) break;
    const p: Promise<void> = task()
      .catch((err: unknown) => void errors.push(err))
      .finally(() => running.delete(p));
    running.add(p);
  }
  await Promise.all(running);
  if (errors.length > 0) throw errors[0];
}

/** Said before a build: how long a cold one takes, scaled from the 2-core measurements to this machine. */
export function coldEstimate(
  steps: Array<{ name: string; coldSeconds?: number }>,
  cores = cpus().length,
): string {
  const measured = steps.filter((s) => s.coldSeconds);
  const total = measured.reduce((sum, s) => sum + (s.coldSeconds ?? 0), 0);
  if (total < 60) return "";
  const min = (s: number) => (s < 60 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);
  const here = (total * 2) / Math.max(1, cores);
  return (
    `A cold build (empty Go build cache) takes about ${min(total)} on 2 idle cores ` +
    `(toolchain/MEASUREMENTS.md: ${measured.map((s) => `${s.name.split(" (")[0]} ${min(s.coldSeconds!)}`).join(", ")}); ` +
    `this machine has ${cores} core${cores === 1 ? "" : "s"}: expect ~${min(here)}, longer while other work ` +
    `runs or modules download (27 min from scratch under load). Later runs reuse it in seconds.`
  );
}
