// Which Docker plugin the engine loads: the one built here (through PATH) unless the official one is
// installed in the plugin cache, and every run says which. The second case runs the engine with the
// built binary placed where `pulumi plugin install resource docker 5.2.0` would put it, and checks the
// engine took it from there (no "from $PATH" warning) to create and delete a network on our dockerd.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as docker from "@pulumi/docker";
import { afterAll, describe, expect, it } from "vitest";
import { openStack } from "../../src/engine";
import { chooseDockerPlugin } from "../../src/engine/docker-plugin";
import { dockerLayout } from "../../toolchain/docker-layout";
import { toolchainPaths } from "../../toolchain/paths";
import { capture } from "../../bench/harness/product-run";
import { makeProject } from "../../bench/harness/project";
import { docker as dockerCli, DOCKER_HOST, requireDockerSetup } from "./helpers/engine";

const temps: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A PULUMI_HOME holding `plugin` as the installed official docker 5.2.0 plugin. */
function homeWithOfficial(plugin: string): { home: string; path: string } {
  const home = temp("zt-pulumi-home-");
  const dir = join(home, "plugins", "resource-docker-v5.2.0");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "pulumi-resource-docker");
  copyFileSync(plugin, path);
  chmodSync(path, 0o755);
  return { home, path };
}

describe("Docker plugin choice", () => {
  const toolchain = toolchainPaths();
  const built = dockerLayout(toolchain.cacheRoot);

  it("uses the plugin built here when no official one is installed", () => {
    expect(chooseDockerPlugin(toolchain, { PULUMI_HOME: temp("zt-pulumi-home-") })).toMatchObject({
      kind: "built here",
      path: built.plugin,
      binDir: built.binDir,
    });
  });

  it("prefers an installed official 5.2.0 plugin, unless its install is partial", () => {
    const home = temp("zt-pulumi-home-");
    const dir = join(home, "plugins", "resource-docker-v5.2.0");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "pulumi-resource-docker"), "#!/bin/sh\n");
    chmodSync(join(dir, "pulumi-resource-docker"), 0o755);
    expect(chooseDockerPlugin(toolchain, { PULUMI_HOME: home })).toMatchObject({ kind: "official" });
    writeFileSync(`${dir}.partial`, "");
    expect(chooseDockerPlugin(toolchain, { PULUMI_HOME: home }).kind).toBe("built here");
  });

  /** up + destroy of one network on our dockerd with PULUMI_HOME=home; what it said and printed. */
  async function networkRun(home: string): Promise<{ said: string[]; upText: string }> {
    dockerCli("network", "rm", "zt-choice-net");
    const project = makeProject("zt-docker-choice");
    temps.push(project.dir);
    const said: string[] = [];
    const { stack } = await openStack({
      projectDir: project.dir,
      stackName: "choice",
      env: { PULUMI_HOME: home, PULUMI_CONFIG_PASSPHRASE: "choice" },
      log: (l) => said.push(l),
      program: async () => {
        const provider = new docker.Provider("engine", { host: DOCKER_HOST });
        new docker.Network(
          "net",
          { name: "zt-choice-net", ipamConfigs: [{ subnet: "10.218.0.0/24" }] },
          { provider },
        );
      },
    });
    const up = capture();
    await stack.up(up.opts);
    expect(dockerCli("network", "inspect", "zt-choice-net").code).toBe(0);
    await stack.destroy(capture().opts);
    expect(dockerCli("network", "inspect", "zt-choice-net").code).not.toBe(0);
    return { said, upText: up.text() };
  }

  it("the engine runs the built one through PATH, or the installed one from the plugin cache", async () => {
    requireDockerSetup();
    const builtRun = await networkRun(temp("zt-pulumi-home-"));
    expect(builtRun.said).toContain(`Docker plugin 5.2.0: built here (${built.plugin})`);
    expect(builtRun.upText).toContain(`using pulumi-resource-docker from $PATH at ${built.plugin}`);

    const { home, path } = homeWithOfficial(built.plugin);
    const officialRun = await networkRun(home);
    expect(officialRun.said).toContain(`Docker plugin 5.2.0: official (${path})`);
    expect(officialRun.upText).not.toContain("pulumi-resource-docker from $PATH");
  });
});
