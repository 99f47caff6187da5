// npm run bench [-- --sizes 10,1000,5000] [--json]
//
// Speed figures of the real product (program, engine, Cloudflare plugin) against a fresh local emulator
// per size: the wall time of `up` from empty, of a no-change `preview` (also with --refresh, the
// scheduled drift check) and of `up` after adding one user; their ratio between the sizes; the API calls
// each run made (the emulator's request log, with Cloudflare's rate limit on); what adding one user
// changed; the peak memory of the engine, the plugin and the program; and whether every email and serial
// reached the lists. Figures only: nothing here passes or fails.
import { parseArgs } from "node:util";
import { generateUsers, renderUsersYaml, type GeneratedUser } from "./harness/generate-users";
import { openProductStack } from "./harness/product-stack";
import { measure, type Measure } from "./measure";

interface SizeResult {
  users: number;
  devices: number;
  resources: number;
  /** Zero Trust lists the account holds after `up` (Cloudflare allows 100). */
  lists: number;
  /** Every active email and serial found in the emulator's lists after `up` (a correctness check). */
  verified: boolean;
  up: Measure;
  preview: Measure;
  previewRefresh: Measure;
  /** `up` after adding one user with one device to the deployed stack. */
  addOne: Measure;
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
    const lists = emu.state.data.lists as Array<{ items: Array<{ value: string }> }>;
    const held = new Set(lists.flatMap((l) => l.items.map((i) => i.value)));
    const active = users.filter((u) => !u.expires || u.expires >= new Date().toISOString().slice(0, 10));
    const verified = active.every((u) => held.has(u.email) && u.devices.every((d) => held.has(d.serial)));
    log(`${n} users: up after adding one user ...`);
    const newcomer: GeneratedUser = {
      email: "zz.bench.newcomer@example.org",
      name: "Bench Newcomer",
      devices: [{ serial: "C02BENCHNEW1", os: "macos" }],
    };
    product.writeUsers(renderUsersYaml([...users, newcomer]));
    const addOne = await measure(reqs, clear, (opts) => product.stack.up(opts));
    return {
      users: n,
      devices: users.reduce((a, u) => a + u.devices.length, 0),
      resources,
      lists: lists.length,
      verified,
      up,
      preview,
      previewRefresh,
      addOne,
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
const rss = (m: Measure) => `${m.rssMb.engine}/${m.rssMb.plugin}/${m.rssMb.program}`;

function table(results: SizeResult[]): string {
  const head = [
    "users",
    "devices",
    "resources",
    "lists",
    "up",
    "preview",
    "preview --refresh",
    "add one user",
  ];
  const rows: string[][] = [head];
  for (const r of results) {
    rows.push([
      String(r.users),
      String(r.devices),
      String(r.resources),
      String(r.lists),
      secs(r.up.ms),
      secs(r.preview.ms),
      secs(r.previewRefresh.ms),
      secs(r.addOne.ms),
    ]);
  }
  const widths = head.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) =>
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  lines.push("");
  for (const r of results) {
    lines.push(
      `${r.users} users: API calls up ${calls(r.up)}, preview ${calls(r.preview)}, refresh ${calls(r.previewRefresh)}, add one ${calls(r.addOne)}; 429s: ${r.up.rateLimited + r.previewRefresh.rateLimited + r.addOne.rateLimited}`,
      `  add one user changed: ${r.addOne.changed.join(", ") || "nothing"}`,
      `  peak RSS MB engine/plugin/program: up ${rss(r.up)}, preview ${rss(r.preview)}, refresh ${rss(r.previewRefresh)}; every entry in the lists: ${r.verified ? "yes" : "NO"}`,
    );
  }
  const small = results[0];
  const ratio = (a: number, b: number) => `${(b / a).toFixed(2)}x`;
  for (const large of results.slice(1)) {
    lines.push(
      `ratio ${large.users}/${small.users} users: up ${ratio(small.up.ms, large.up.ms)}, preview ${ratio(small.preview.ms, large.preview.ms)}, preview --refresh ${ratio(small.previewRefresh.ms, large.previewRefresh.ms)}, add one user ${ratio(small.addOne.ms, large.addOne.ms)}`,
    );
  }
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string", default: "10,1000,5000" },
      json: { type: "boolean", default: false },
    },
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
