// The rules openStack applies before starting the engine: which Cloudflare plugin, which backend,
// which passphrase. Cheap, but they decide where state and secrets go.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  backendUrl,
  chooseCloudflarePlugin,
  EngineSetupError,
  LOCAL_PASSPHRASE,
  passphraseEnv,
} from "../../src/engine";
import { toolchainPaths } from "../../toolchain/paths";

const temps: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("Cloudflare plugin choice", () => {
  const toolchain = toolchainPaths();

  it("uses the plugin built here when the official one is not installed", () => {
    const home = temp("zt-pulumi-home-");
    expect(chooseCloudflarePlugin(toolchain, { PULUMI_HOME: home })).toMatchObject({
      kind: "built here",
      path: toolchain.cloudflarePlugin,
    });
  });

  it("prefers an installed official 6.20.0 plugin, unless its install is partial", () => {
    const home = temp("zt-pulumi-home-");
    const dir = join(home, "plugins", "resource-cloudflare-v6.20.0");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "pulumi-resource-cloudflare"), "#!/bin/sh\n");
    chmodSync(join(dir, "pulumi-resource-cloudflare"), 0o755);
    expect(chooseCloudflarePlugin(toolchain, { PULUMI_HOME: home })).toMatchObject({
      kind: "official",
      path: join(dir, "pulumi-resource-cloudflare"),
    });
    writeFileSync(`${dir}.partial`, "");
    expect(chooseCloudflarePlugin(toolchain, { PULUMI_HOME: home }).kind).toBe("built here");
  });
});

describe("backend and passphrase", () => {
  it("defaults to a file backend inside the project, else PULUMI_BACKEND_URL", () => {
    const project = temp("zt-project-");
    expect(backendUrl(project, {})).toBe(`file://${join(project, ".pulumi-local")}`);
    expect(backendUrl(project, { PULUMI_BACKEND_URL: "s3://bucket/state" })).toBe("s3://bucket/state");
  });

  it("has a default passphrase for the local stack only", () => {
    expect(passphraseEnv("local", {})).toEqual({ PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE });
    expect(passphraseEnv("prod", { PULUMI_CONFIG_PASSPHRASE: "p" })).toEqual({
      PULUMI_CONFIG_PASSPHRASE: "p",
    });
    expect(passphraseEnv("prod", { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/pp" })).toEqual({
      PULUMI_CONFIG_PASSPHRASE_FILE: "/run/pp",
    });
    expect(() => passphraseEnv("prod", {})).toThrow(EngineSetupError);
    expect(() => passphraseEnv("prod", {})).toThrow(/PULUMI_CONFIG_PASSPHRASE/);
  });
});
