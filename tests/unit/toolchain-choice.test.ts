// ZT_TOOLCHAIN: which pulumi CLI and plugins run. FAKE "official" binaries (shell scripts that answer
// `pulumi version` and `pulumi-resource-<name> -version`, and log how they were called) in a temp dir
// stand in for an install by Pulumi's installer and `pulumi plugin install`: they must win in auto,
// a wrong version must be an error naming the install command (and nothing else is run), and build
// must ignore them.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { engineHome } from "../../src/engine/home";
import { steps } from "../../toolchain/build";
import {
  chooseToolchain,
  describeChoice,
  requiredPlugins,
  ToolchainChoiceError,
  toolchainMode,
} from "../../toolchain/choice";
import { layout } from "../../toolchain/layout";
import { requireEngine, ToolchainMissingError } from "../../toolchain/paths";
import { buildable, stepsFor } from "../../toolchain/resolve";
import { officialVersions } from "../../toolchain/versions";

let root: string;
let calls: string;

function fake(file: string, answer: string, flag: string): string {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(
    file,
    `#!/bin/sh\necho "$0 $*" >> '${calls}'\nif [ "$1" = '${flag}' ]; then echo '${answer}'; exit 0; fi\nexit 3\n`,
  );
  chmodSync(file, 0o755);
  return file;
}
const fakeCli = (dir: string, version: string) => fake(join(dir, "pulumi"), version, "version");
const fakePlugin = (home: string, name: string, dirVersion: string, reports = dirVersion) =>
  fake(
    join(home, ".pulumi", "plugins", `resource-${name}-v${dirVersion}`, `pulumi-resource-${name}`),
    reports,
    "-version",
  );

/** A hermetic environment: PATH, HOME and the toolchain cache all inside the temp dir. */
function env(mode?: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: join(root, "bin"),
    HOME: join(root, "home"),
    XDG_CACHE_HOME: join(root, "cache"),
    ...(mode ? { ZT_TOOLCHAIN: mode } : {}),
    ...extra,
  };
}

function choose(e: NodeJS.ProcessEnv) {
  const l = layout(e);
  return chooseToolchain(l, buildable(l, steps), e);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "zt-toolchain-choice-"));
  calls = join(root, "calls.log");
  mkdirSync(join(root, "bin"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("the plugins and versions asked for", () => {
  it("are the npm packages' pulumi.resource plugins: cloudflare 6.20.0 and docker 5.2.0", () => {
    expect(requiredPlugins()).toEqual([
      { name: "cloudflare", version: "6.20.0", npmPackage: "@pulumi/cloudflare" },
      { name: "docker", version: "5.2.0", npmPackage: "@pulumi/docker" },
    ]);
    expect(layout().versions.pulumiCli).toBe("v3.256.0");
  });

  it("ZT_TOOLCHAIN defaults to auto and refuses anything but official, build, auto", () => {
    expect(toolchainMode({})).toBe("auto");
    expect(toolchainMode({ ZT_TOOLCHAIN: "official" })).toBe("official");
    expect(() => toolchainMode({ ZT_TOOLCHAIN: "download" })).toThrow(/official, build or auto/);
  });
});

describe("auto", () => {
  it("official binaries of the pinned versions win, wherever they are", () => {
    const cli = fakeCli(join(root, "bin"), "v3.256.0");
    const plugin = fakePlugin(join(root, "home"), "cloudflare", "6.20.0");
    const dockerPlugin = fakePlugin(join(root, "home"), "docker", "5.2.0");
    const c = choose(env());
    expect(c.mode).toBe("auto");
    expect(c.cli).toMatchObject({ source: "official", path: cli, root, version: "3.256.0", from: "PATH" });
    expect(c.plugins[0]).toMatchObject({ name: "cloudflare", source: "official", path: plugin });
    expect(c.plugins[1]).toMatchObject({ name: "docker", source: "official", path: dockerPlugin });
    expect(describeChoice(c)).toBe(
      `engine (ZT_TOOLCHAIN=auto): pulumi CLI 3.256.0 official (${cli}); plugins: ` +
        `cloudflare 6.20.0 official (${plugin}), docker 5.2.0 official (${dockerPlugin})`,
    );
    // Nothing to build: the engine needs no toolchain cache at all.
    expect(stepsFor(c, steps)).toEqual([]);
    expect(() => requireEngine(env())).not.toThrow();
  });

  it("finds the CLI in ~/.pulumi/bin when it is not on PATH", () => {
    const cli = fakeCli(join(root, "home", ".pulumi", "bin"), "v3.256.0");
    expect(choose(env()).cli).toMatchObject({
      source: "official",
      path: cli,
      root: join(root, "home", ".pulumi"),
      from: "~/.pulumi/bin",
    });
  });

  it("builds what is not installed: here the CLI, with the official plugin", () => {
    const plugin = fakePlugin(join(root, "home"), "cloudflare", "6.20.0");
    const e = env();
    const c = choose(e);
    expect(c.cli).toMatchObject({ source: "built here", path: join(layout(e).binDir, "pulumi") });
    expect(c.plugins[0]).toMatchObject({ source: "official", path: plugin });
    // The docker plugin is not installed: it is built here too (toolchain/build-docker.ts).
    expect(c.plugins[1]).toMatchObject({ name: "docker", source: "built here" });
    expect(new Set(stepsFor(c, steps).map((s) => s.part))).toEqual(new Set(["cli", "docker"]));
    expect(() => requireEngine(e)).toThrow(ToolchainMissingError);
    expect(() => requireEngine(e)).toThrow(/pulumi CLI \(toolchain\/pulumi-cli\)[\s\S]*npm run toolchain/);
  });

  it("builds everything when nothing is installed, and ignores a partial plugin install", () => {
    const dir = join(fakePlugin(join(root, "home"), "cloudflare", "6.20.0"), "..");
    writeFileSync(`${dir}.partial`, "");
    const e = env();
    const c = choose(e);
    expect(c.cli.source).toBe("built here");
    expect(c.plugins[0]).toMatchObject({ source: "built here", path: layout(e).provider.plugin });
    expect(stepsFor(c, steps)).toEqual(steps);
  });

  it("does not count the CLI built here as official when its bin dir is on PATH", () => {
    const e = env();
    const bin = layout(e).binDir;
    fakeCli(bin, "v3.256.0");
    expect(choose({ ...e, PATH: bin }).cli.source).toBe("built here");
  });

  it("a CLI of another version is an error naming it and the install command, and nothing is run but `version`", () => {
    const cli = fakeCli(join(root, "bin"), "v3.200.0");
    const attempt = () => choose(env());
    expect(attempt).toThrow(ToolchainChoiceError);
    expect(attempt).toThrow(`${cli} (PATH) reports v3.200.0`);
    expect(attempt).toThrow("curl -fsSL https://get.pulumi.com | sh -s -- --version 3.256.0");
    expect(attempt).toThrow("ZT_TOOLCHAIN=build");
    // Asked once (the answer is remembered), never told to install or download anything.
    expect(readFileSync(calls, "utf8")).toBe(`${cli} version\n`);
  });

  it("a plugin that reports another version is an error naming the reinstall command", () => {
    fakeCli(join(root, "bin"), "v3.256.0");
    const plugin = fakePlugin(join(root, "home"), "cloudflare", "6.20.0", "6.19.1");
    const attempt = () => choose(env());
    expect(attempt).toThrow(`${plugin} should be the official cloudflare plugin 6.20.0`);
    expect(attempt).toThrow("reports 6.19.1");
    expect(attempt).toThrow("pulumi plugin install resource cloudflare 6.20.0 --reinstall");
    expect(readFileSync(calls, "utf8")).toContain(`${plugin} -version\n`);
    expect(readFileSync(calls, "utf8")).not.toMatch(/install/);
  });
});

describe("official", () => {
  it("without an official CLI is an error naming the install command", () => {
    expect(() => choose(env("official"))).toThrow(
      /official pulumi CLI 3\.256\.0, but none is on PATH or in ~\/\.pulumi\/bin[\s\S]*get\.pulumi\.com/,
    );
  });

  it("never builds: a plugin only installed at another version is reported with its install command", () => {
    fakeCli(join(root, "bin"), "v3.256.0");
    fakePlugin(join(root, "home"), "cloudflare", "6.19.0");
    const c = choose(env("official"));
    expect(c.plugins[0]).toMatchObject({
      source: "none",
      from: "not installed; the cache holds 6.19.0 (pulumi plugin install resource cloudflare 6.20.0)",
    });
    expect(stepsFor(c, steps)).toEqual([]);
  });

  it("uses PULUMI_HOME's plugin cache when it is set", () => {
    fakeCli(join(root, "bin"), "v3.256.0");
    const plugin = fakePlugin(join(root, "elsewhere"), "cloudflare", "6.20.0");
    const c = choose(env("official", { PULUMI_HOME: join(root, "elsewhere", ".pulumi") }));
    expect(c.plugins[0]).toMatchObject({ source: "official", path: plugin });
  });
});

describe("build", () => {
  it("ignores official binaries, even of other versions", () => {
    fakeCli(join(root, "bin"), "v3.200.0");
    fakePlugin(join(root, "home"), "cloudflare", "6.20.0", "6.19.1");
    const e = env("build");
    const c = choose(e);
    expect(c.cli).toMatchObject({ source: "built here", root: layout(e).root });
    expect(c.plugins[0]).toMatchObject({ source: "built here", path: layout(e).provider.plugin });
    expect(existsSync(calls)).toBe(false);
  });
});

describe("ZT_TOOLCHAIN_SKIP (npm start with the connector off)", () => {
  it("leaves an unbuilt docker plugin out of the build, but uses one already built", () => {
    const e = env(undefined, { ZT_TOOLCHAIN_SKIP: "docker" });
    const c = choose(e);
    expect(c.plugins[1]).toMatchObject({ name: "docker", source: "none" });
    expect(describeChoice(c)).toContain("docker 5.2.0 not installed");
    expect(new Set(stepsFor(c, steps).map((s) => s.part))).toEqual(new Set(["cli", "cloudflare"]));

    const built = buildable(layout(e), steps).plugins.docker;
    mkdirSync(join(built, ".."), { recursive: true });
    writeFileSync(built, "#!/bin/sh\n");
    expect(choose(e).plugins[1]).toMatchObject({ name: "docker", source: "built here", path: built });
    // Without the variable nothing is skipped.
    rmSync(built);
    expect(choose(env()).plugins[1]).toMatchObject({ name: "docker", source: "built here" });
  });
});

describe("the plugin cache the engine reads", () => {
  it("is the user's when every plugin is official, else ours with links to the chosen binaries", () => {
    fakeCli(join(root, "bin"), "v3.256.0");
    fakePlugin(join(root, "home"), "cloudflare", "6.20.0");
    fakePlugin(join(root, "home"), "docker", "5.2.0");
    const e = env();
    expect(engineHome(choose(e), layout(e).cacheRoot, e)).toBeUndefined();

    const b = env("build");
    writeFileSync(join(root, "home", ".pulumi", "credentials.json"), "{}");
    const home = engineHome(choose(b), layout(b).cacheRoot, b)!;
    expect(home.startsWith(layout(b).cacheRoot)).toBe(true);
    const link = join(home, "plugins", "resource-cloudflare-v6.20.0", "pulumi-resource-cloudflare");
    expect(readlinkSync(link)).toBe(layout(b).provider.plugin);
    expect(readlinkSync(join(home, "credentials.json"))).toBe(
      join(root, "home", ".pulumi", "credentials.json"),
    );
    expect(engineHome(choose(b), layout(b).cacheRoot, b)).toBe(home);
  });
});

describe("what the workflows install (toolchain/versions.ts)", () => {
  it("the pinned CLI and the plugins the stack loads: docker only with the connector on", () => {
    expect(officialVersions("prod")).toEqual({
      cli: "3.256.0",
      plugins: "cloudflare@6.20.0 docker@5.2.0",
      key: "pulumi-3.256.0-cloudflare-6.20.0-docker-5.2.0",
    });
    // Pulumi.local.yaml: zt:connector.enabled false.
    expect(officialVersions("local").plugins).toBe("cloudflare@6.20.0");
  });
});
