// The plugin cache the engine loads resource plugins from. When every chosen plugin is official, it is
// the user's own ($PULUMI_HOME or ~/.pulumi: nothing changes). When one is built here, the engine gets a
// PULUMI_HOME of ours whose plugins/ directory is laid out as `pulumi plugin install` lays it out, with
// links to the chosen binaries (built or official): the CLI loads them as cached plugins. Found on
// PATH instead, it warned "using pulumi-resource-cloudflare from $PATH" at every load (five per `up`).
// credentials.json links to the user's, so a `pulumi login` still counts.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ToolchainChoice } from "../../toolchain/choice";
import { pulumiHome } from "../../toolchain/official";

export function engineHome(
  choice: ToolchainChoice,
  cacheRoot: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (!choice.plugins.some((p) => p.source === "built here")) return undefined;
  const links: Array<[string, string]> = [];
  for (const p of choice.plugins) {
    if (!p.path) continue;
    const dir = join("plugins", `resource-${p.name}-v${p.version}`);
    links.push([join(dir, `pulumi-resource-${p.name}`), p.path]);
  }
  const credentials = join(pulumiHome(env), "credentials.json");
  if (existsSync(credentials)) links.push(["credentials.json", credentials]);

  const key = createHash("sha256").update(JSON.stringify(links)).digest("hex").slice(0, 16);
  const home = join(cacheRoot, "pulumi-home", key);
  if (existsSync(join(home, ".complete"))) return home;
  // Built in a temp dir and renamed into place: concurrent engine runs never see half a home.
  const temp = `${home}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  for (const [link, target] of links) {
    mkdirSync(join(temp, link, ".."), { recursive: true });
    symlinkSync(target, join(temp, link));
  }
  mkdirSync(temp, { recursive: true });
  writeFileSync(join(temp, ".complete"), `${JSON.stringify(links)}\n`);
  try {
    mkdirSync(join(home, ".."), { recursive: true });
    renameSync(temp, home);
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(join(home, ".complete"))) throw err;
  }
  return home;
}
