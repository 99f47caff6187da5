// Which Docker plugin the engine loads (ZT_TOOLCHAIN=auto, toolchain/choice.ts): the one built here unless
// the official one is installed in the plugin cache, and every run says which. The second run puts the
// built binary where `pulumi plugin install resource docker 5.2.0` would, and checks the engine took it
// from there to create and delete a network on our dockerd. (The choice itself, with fake binaries and
// version mismatches, is unit-tested in tests/unit/toolchain-choice.test.ts.)
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as docker from "@pulumi/docker";
import { afterAll, describe, expect, it } from "vitest";
import { openStack } from "../../src/engine";
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
    // The one line every run says (toolchain/choice.ts describeChoice) names the docker plugin's source.
    const builtRun = await networkRun(temp("zt-pulumi-home-"));
    expect(builtRun.said.join("\n")).toContain(`docker 5.2.0 built here (${built.plugin})`);
    expect(builtRun.upText).not.toContain("from $PATH");

    const { home, path } = homeWithOfficial(built.plugin);
    const officialRun = await networkRun(home);
    expect(officialRun.said.join("\n")).toContain(`docker 5.2.0 official (${path})`);
    expect(officialRun.upText).not.toContain("from $PATH");
  });
});
