// `npm start` as a person runs it, in child processes: the toolchain step (`tsx toolchain/build.ts
// --quiet`, warm), then `tsx src/cli/start.ts --exit`: emulator up, local stack, `up`, a summary of what
// exists; run again, it keeps its state and changes nothing. (The dependency step, toolchain/ensure-deps.cjs,
// is left out: node_modules is the checkout's own, linked, and must never be reinstalled from here.)
// It runs on a copy of the project whose Pulumi.local.yaml points at a free port (ZT_EMULATOR_PORT), so a
// developer's .pulumi-local/, .zt/ and emulator on 8788 are never touched. The copy's path is fixed per
// checkout: the toolchain's bin dir is keyed by the checkout's path, so it is assembled once, not per run.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULT_TOKEN, startEmulator } from "../../emulator";
import { REPO_ROOT } from "../../toolchain/layout";

const PROJECT_FILES = [
  "package.json",
  "tsconfig.json",
  "Pulumi.yaml",
  "Pulumi.local.yaml",
  "users.yaml",
  "users.schema.json",
  "index.ts",
];
const PROJECT_DIRS = ["components", "src", "emulator", "toolchain"];
const LOCAL_STATE = [".zt", ".pulumi-local"];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** path -> mtime of everything under the developer's local state dirs (absent dirs: nothing). */
function snapshot(root: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else out[full] = st.mtimeMs;
    }
  };
  for (const d of LOCAL_STATE) if (existsSync(join(root, d))) walk(join(root, d));
  return out;
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, args: string[], port: number): Promise<Exit> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ZT_EMULATOR_PORT: String(port),
    FORCE_COLOR: "0",
    NO_COLOR: "1",
  };
  // Exactly a developer's environment: no backend, passphrase or token from the test runner.
  for (const k of [
    "PULUMI_BACKEND_URL",
    "PULUMI_CONFIG_PASSPHRASE",
    "PULUMI_CONFIG_PASSPHRASE_FILE",
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_BASE_URL",
    "CI",
  ])
    delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const runStart = (cwd: string, port: number) => run(cwd, ["src/cli/start.ts", "--exit"], port);

describe("npm start (tsx src/cli/start.ts --exit) on a copy of the project", () => {
  let copy: string;
  let port: number;
  let developerState: Record<string, number>;
  let first: Exit;

  beforeAll(async () => {
    developerState = snapshot(REPO_ROOT);
    copy = join(
      tmpdir(),
      `zt-gitops-npm-start-${createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 12)}`,
    );
    rmSync(copy, { recursive: true, force: true });
    mkdirSync(copy);
    for (const f of PROJECT_FILES) cpSync(join(REPO_ROOT, f), join(copy, f));
    for (const d of PROJECT_DIRS) cpSync(join(REPO_ROOT, d), join(copy, d), { recursive: true });
    symlinkSync(join(REPO_ROOT, "node_modules"), join(copy, "node_modules"), "dir");
    port = await freePort();
    const stackFile = join(copy, "Pulumi.local.yaml");
    const text = readFileSync(stackFile, "utf8");
    expect(text).toContain("http://127.0.0.1:8788/client/v4");
    writeFileSync(
      stackFile,
      text.replace("http://127.0.0.1:8788/client/v4", `http://127.0.0.1:${port}/client/v4`),
    );
    const toolchain = await run(copy, ["toolchain/build.ts", "--quiet"], port);
    expect(toolchain.code, toolchain.stdout + toolchain.stderr).toBe(0);
    expect(toolchain.stdout).toMatch(
      /toolchain ready in .*\((all warm|\d+ of \d+ steps built); ZT_TOOLCHAIN=auto\)/,
    );
    first = await runStart(copy, port);
  });

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it("starts the emulator, creates the local stack, runs up and prints what exists", () => {
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain(
      `Local Cloudflare API emulator on http://127.0.0.1:${port}/client/v4 (state: .zt/emulator-state.json)`,
    );
    expect(first.stdout).toMatch(
      /engine \(ZT_TOOLCHAIN=\w+\): pulumi CLI 3\.256\.0 .*cloudflare 6\.20\.0 (built here|official)/,
    );
    expect(first.stdout).toMatch(/\+ \d+ created/);
    // Quiet: one line for the engine's binaries, no "using pulumi-resource-cloudflare from $PATH"
    // warnings, no Outputs dump with the compose object.
    expect(first.stdout.match(/^engine \(ZT_TOOLCHAIN=/gm)).toHaveLength(1);
    expect(first.stdout + first.stderr).not.toContain("from $PATH");
    expect(first.stdout).not.toMatch(/^Outputs:|dockerCompose/m);
    expect(first.stdout).toContain("Now running on the local emulator:");
    expect(first.stdout).toContain("application:  https://ocs.example.org");
    const users = first.stdout.match(/users: +4 active, 5 devices \(([^)]*)\)/);
    expect(users?.[1].split(", ").sort()).toEqual(["any 1", "linux 1", "macos 2", "windows 1"]);
    expect(first.stdout).toContain("sessions:     app 8h, WARP 24h");
  });

  it("keeps its state inside the project it runs in, and the tokens out of its output", () => {
    const state = JSON.parse(readFileSync(join(copy, ".zt", "emulator-state.json"), "utf8"));
    expect(state.lists.map((l: { name: string }) => l.name).sort()).toEqual([
      "zt-gitops linux serials 1",
      "zt-gitops macos serials 1",
      "zt-gitops users 1",
      "zt-gitops windows serials 1",
    ]);
    expect(existsSync(join(copy, ".pulumi-local", ".pulumi", "stacks", "zt-gitops", "local.json"))).toBe(
      true,
    );
    const output = first.stdout + first.stderr;
    expect(output).toContain("token kept as a secret");
    expect(output).not.toContain(EMULATOR_DEFAULT_TOKEN);
    for (const secret of Object.values(state.tunnels.secrets as Record<string, string>))
      expect(output).not.toContain(secret);
  });

  it("run again, it reuses the saved emulator state and the stack: nothing changes", async () => {
    const again = await runStart(copy, port);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/\+ \d+ created/);
    expect(again.stdout).toMatch(/\d+ unchanged/);
    const state = JSON.parse(readFileSync(join(copy, ".zt", "emulator-state.json"), "utf8"));
    expect(state.lists).toHaveLength(4);
    expect(state.tunnels.items).toHaveLength(1);
  });

  it("then `npm run drift -- --stack local` is clean (exit 0), and names a serial added through the API (exit 2)", async () => {
    const clean = await run(copy, ["src/cli/drift.ts", "--stack", "local"], port);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toContain("No drift");

    // Someone adds a serial to the macOS list by hand, through the API (the emulator serving this state).
    const emu = await startEmulator({ port, stateFile: join(copy, ".zt", "emulator-state.json") });
    try {
      const headers = {
        authorization: `Bearer ${EMULATOR_DEFAULT_TOKEN}`,
        "content-type": "application/json",
      };
      const base = `${emu.apiBase}/accounts/${emu.accountId}/gateway/lists`;
      const lists = (await (await fetch(`${base}?type=SERIAL`, { headers })).json()) as {
        result: Array<{ id: string; name: string }>;
      };
      const macos = lists.result.find((l) => l.name === "zt-gitops macos serials 1")!;
      const res = await fetch(`${base}/${macos.id}`, {
        method: "PATCH",
        headers,
        body: JSON.stringify({ append: [{ value: "ROGUE000001" }] }),
      });
      expect(res.status).toBe(200);
    } finally {
      await emu.close();
    }
    const drifted = await run(copy, ["src/cli/drift.ts", "--stack", "local"], port);
    expect(drifted.code, drifted.stdout + drifted.stderr).toBe(2);
    expect(drifted.stdout).toMatch(/\| `members-macos-0` \| list entries .*\| added by hand: ROGUE000001 \|/);
  });

  it("leaves the developer's .zt/ and .pulumi-local/ untouched", () => {
    expect(snapshot(REPO_ROOT)).toEqual(developerState);
  });
});
