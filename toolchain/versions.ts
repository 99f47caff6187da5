// `tsx toolchain/versions.ts [--stack NAME]`: the official binaries a stack needs, for the workflows
// (.github/actions/setup) to install and cache by version, as GITHUB_OUTPUT lines:
//   cli=3.256.0
//   plugins=cloudflare@6.20.0 docker@5.2.0     (docker only when the stack's connector is on)
//   key=pulumi-3.256.0-cloudflare-6.20.0-docker-5.2.0
// The versions come from where the driver reads them (toolchain/pulumi-cli/go.mod, the npm packages),
// so the workflows install exactly what ZT_TOOLCHAIN=official then accepts.
import { parseArgs } from "node:util";
import { loadStackFile } from "../src/config/stack-file";
import { bare } from "./official";
import { requiredPlugins, type PluginSpec } from "./choice";
import { layout, REPO_ROOT } from "./layout";

/** Plugins only some stacks load, and how to tell from the stack's settings. */
const ONLY_WHEN: Record<string, (stack: string) => boolean> = {
  // components/connector.ts: the Docker provider is used only when the connector is on. A stack file
  // that does not parse counts as "on": installing one plugin too many is harmless.
  docker: (stack) => loadStackFile(REPO_ROOT, stack).config?.connector.enabled ?? true,
};

export function officialVersions(stack: string, plugins: PluginSpec[] = requiredPlugins()) {
  const cli = bare(layout().versions.pulumiCli);
  const needed = plugins.filter((p) => ONLY_WHEN[p.name]?.(stack) ?? true);
  const list = needed.map((p) => `${p.name}@${p.version}`);
  const key = ["pulumi", cli, ...needed.flatMap((p) => [p.name, p.version])].join("-");
  return { cli, plugins: list.join(" "), key };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { stack: { type: "string", default: process.env.ZT_STACK || "prod" } },
  });
  const v = officialVersions(values.stack!);
  console.log(`cli=${v.cli}\nplugins=${v.plugins}\nkey=${v.key}`);
}
