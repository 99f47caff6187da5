// npm run bench [-- --sizes 10,1000] [--json]
//
// Speed figures of the real product (program, engine, Cloudflare plugin) against a fresh local emulator
// per size: the wall time of `up` from empty and of a no-change `preview` (also with --refresh, the
// scheduled drift check), their ratio between the sizes, and the API calls each run made, by method,
// from the emulator's request log. Figures only: nothing here passes or fails.
import { parseArgs } from "node:util";
import type { RequestLogEntry } from "../emulator";
import { generateUsers, renderUsersYaml } from "./harness/generate-users";
import { openProductStack } from "./harness/product-stack";
import { callsByMethod, capture } from "./harness/product-run";

interface Measure {
  ms: number;
  calls: Record<string, number>;
  total: number;
  /** Resources the operation changed or would change (a no-change preview shows none). */
  changes: number;
}

interface SizeResult {
  users: number;
  devices: number;
  resources: number;
  up: Measure;
  preview: Measure;
  previewRefresh: Measure;
}

async function measure(
  emulatorRequests: () => RequestLogEntry[],
  clear: () => void,
  op: (opts: ReturnType<typeof capture>["opts"]) => Promise<unknown>,
): Promise<Measure> {
  clear();
  const run = capture();
  const started = performance.now();
  await op(run.opts);
  const ms = performance.now() - started;
  const requests = emulatorRequests();
  const changed = run.steps().filter((s) => s.op !== "same");
  return { ms, calls: callsByMethod(requests), total: requests.length, changes: changed.length };
}

async function benchSize(n: number, log: (line: string) => void): Promise<SizeResult> {
  const users = generateUsers(n);
  const product = await openProductStack({ usersYaml: renderUsersYaml(users), name: `zt-bench-${n}` });
  try {
    const emu = product.emulator;
    const reqs = () => emu.requests();
    const clear = () => emu.clearRequests();
    log(`${n} users: up ...`);
    let resources = 0;
    const up = await measure(reqs, clear, async (opts) => {
      const r = await product.stack.up(opts);
      resources = r.summary.resourceChanges?.create ?? 0;
    });
    log(`${n} users: preview ...`);
    const preview = await measure(reqs, clear, (opts) => product.stack.preview(opts));
    log(`${n} users: preview --refresh ...`);
    const previewRefresh = await measure(reqs, clear, (opts) =>
      product.stack.preview({ ...opts, refresh: true }),
    );
    return {
      users: n,
      devices: users.reduce((a, u) => a + u.devices.length, 0),
      resources,
      up,
      preview,
      previewRefresh,
    };
  } finally {
    await product.close();
  }
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const calls = (m: Measure) =>
  `${m.total} (${
    Object.entries(m.calls)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ") || "none"
  })`;

function table(results: SizeResult[]): string {
  const rows: string[][] = [
    [
      "users",
      "devices",
      "resources",
      "up",
      "up API calls",
      "preview",
      "preview API calls",
      "preview --refresh",
      "refresh API calls",
    ],
  ];
  for (const r of results) {
    rows.push([
      String(r.users),
      String(r.devices),
      String(r.resources),
      secs(r.up.ms),
      calls(r.up),
      secs(r.preview.ms),
      calls(r.preview),
      secs(r.previewRefresh.ms),
      calls(r.previewRefresh),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) =>
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const [small, large] = [results[0], results[results.length - 1]];
  if (results.length > 1) {
    const ratio = (a: number, b: number) => `${(b / a).toFixed(2)}x`;
    lines.push(
      "",
      `ratio ${large.users}/${small.users} users: up ${ratio(small.up.ms, large.up.ms)}, preview ${ratio(small.preview.ms, large.preview.ms)}, preview --refresh ${ratio(small.previewRefresh.ms, large.previewRefresh.ms)}`,
    );
  }
  for (const r of results) {
    lines.push(
      `up / preview at ${r.users} users: ${(r.up.ms / r.preview.ms).toFixed(2)}x; preview changes: ${r.preview.changes}, with --refresh: ${r.previewRefresh.changes}`,
    );
  }
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { sizes: { type: "string", default: "10,1000" }, json: { type: "boolean", default: false } },
  });
  const sizes = values.sizes.split(",").map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error(`--sizes takes positive integers, e.g. 10,1000 (got ${values.sizes})`);
    return 1;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const results: SizeResult[] = [];
  for (const n of sizes) results.push(await benchSize(n, log));
  if (values.json) console.log(JSON.stringify(results, null, 2));
  else console.log(table(results));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
