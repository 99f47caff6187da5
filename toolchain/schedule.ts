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

/** Runs the tasks, at most `limit` at a time; the first failure rejects once the running ones end. */
export async function runLimited(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  const queue = [...tasks];
  const errors: unknown[] = [];
  const worker = async () => {
    for (let task = queue.shift(); task && errors.length === 0; task = queue.shift()) {
      try {
        await task();
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
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
  const min = (s: number) => `${Math.max(1, Math.round(s / 60))} min`;
  const here = (total * 2) / Math.max(1, cores);
  return (
    `A cold build (empty Go build cache) takes about ${min(total)} on 2 idle cores ` +
    `(toolchain/MEASUREMENTS.md: ${measured.map((s) => `${s.name.split(" (")[0]} ${min(s.coldSeconds!)}`).join(", ")}); ` +
    `this machine has ${cores} core${cores === 1 ? "" : "s"}: expect ~${min(here)}, longer while other work ` +
    `runs or modules download (27 min from scratch under load). Later runs reuse it in seconds.`
  );
}
