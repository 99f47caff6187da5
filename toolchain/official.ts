// Finding the official binaries: the pulumi CLI on PATH or in ~/.pulumi/bin (where Pulumi's installer
// and pulumi/actions put it), resource plugins in the plugin cache ($PULUMI_HOME/plugins, default
// ~/.pulumi/plugins, laid out as `pulumi plugin install` does). Each candidate is asked for its version;
// nothing here downloads anything.
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join, relative } from "node:path";

/** Versions are compared without a leading "v" (`pulumi version` says v3.256.0, plugins 6.20.0). */
export const bare = (v: string) => v.trim().replace(/^v/, "");

export const cliInstallCommand = (version: string) =>
  `curl -fsSL https://get.pulumi.com | sh -s -- --version ${bare(version)}`;
export const pluginInstallCommand = (name: string, version: string, reinstall = false) =>
  `pulumi plugin install resource ${name} ${bare(version)}${reinstall ? " --reinstall" : ""}`;

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

const inside = (file: string, dir: string) => {
  const rel = relative(dir, file);
  return rel !== "" && !rel.startsWith("..");
};

// Asking a 100+ MB binary for its version costs ~0.1 s; one answer per file and modification time.
const answers = new Map<string, string>();

/** The first line a binary prints for `args`, or the reason it printed none. */
export function askVersion(file: string, args: string[], env: NodeJS.ProcessEnv): string {
  const key = `${file}\0${statSync(file).mtimeMs}\0${args.join(" ")}`;
  const known = answers.get(key);
  if (known !== undefined) return known;
  let answer: string;
  try {
    const out = execFileSync(file, args, {
      encoding: "utf8",
      timeout: 30_000,
      stdio: ["ignore", "pipe", "pipe"],
      // No update check, no telemetry: asking for a version must not touch the network.
      env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "1", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" },
    });
    answer = out.trim().split("\n")[0]?.trim() || "(no output)";
  } catch (err) {
    answer = `(failed: ${(err as Error).message.split("\n")[0]})`;
  }
  answers.set(key, answer);
  return answer;
}

export interface FoundCli {
  path: string;
  /** "PATH" or "~/.pulumi/bin". */
  from: string;
  version: string;
}

/**
 * Every pulumi CLI on PATH, then ~/.pulumi/bin/pulumi, with the version each reports. Copies inside
 * `ownCache` (the toolchain built here, e.g. its bin dir put on PATH by hand) are not official.
 */
export function findOfficialClis(env: NodeJS.ProcessEnv, ownCache: string): FoundCli[] {
  const candidates: Array<{ path: string; from: string }> = [];
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean))
    candidates.push({ path: join(dir, "pulumi"), from: "PATH" });
  candidates.push({ path: join(env.HOME || homedir(), ".pulumi", "bin", "pulumi"), from: "~/.pulumi/bin" });
  const seen = new Set<string>();
  const found: FoundCli[] = [];
  for (const c of candidates) {
    if (!executable(c.path)) continue;
    const real = realpathSync(c.path);
    if (seen.has(real) || inside(real, ownCache)) continue;
    seen.add(real);
    found.push({ ...c, version: askVersion(c.path, ["version"], env) });
  }
  return found;
}

export const pulumiHome = (env: NodeJS.ProcessEnv) =>
  env.PULUMI_HOME || join(env.HOME || homedir(), ".pulumi");

export type OfficialPlugin =
  | { state: "installed"; path: string; dir: string }
  | { state: "wrong version"; path: string; dir: string; reported: string }
  | { state: "absent"; dir: string; otherVersions: string[] };

/** The official plugin `name` at `version` in the plugin cache, checked by asking it (`-version`). */
export function findOfficialPlugin(name: string, version: string, env: NodeJS.ProcessEnv): OfficialPlugin {
  const plugins = join(pulumiHome(env), "plugins");
  const dir = join(plugins, `resource-${name}-v${bare(version)}`);
  const path = join(dir, `pulumi-resource-${name}`);
  // The CLI leaves a ".partial" marker next to an interrupted install and ignores the directory.
  if (!existsSync(`${dir}.partial`) && executable(path)) {
    const reported = askVersion(path, ["-version"], env);
    return bare(reported) === bare(version)
      ? { state: "installed", path, dir }
      : { state: "wrong version", path, dir, reported };
  }
  const prefix = `resource-${name}-v`;
  const otherVersions = existsSync(plugins)
    ? readdirSync(plugins)
        .filter((d) => d.startsWith(prefix) && !d.endsWith(".partial") && !d.endsWith(".lock"))
        .map((d) => d.slice(prefix.length))
        .filter((v) => v !== bare(version))
    : [];
  return { state: "absent", dir, otherVersions };
}
