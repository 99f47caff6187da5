// The project's own Docker engine (toolchain/dockerd.sh) for the connector suite: its host, a docker
// CLI pinned to it, and loud failures when it, the local images or the Docker plugin are missing.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../../toolchain/layout";
import { dockerLayout } from "../../../toolchain/docker-layout";

export const DOCKER_HOST =
  process.env.ZT_DOCKER_HOST ||
  execFileSync("bash", [join(REPO_ROOT, "toolchain", "dockerd.sh"), "host"], { encoding: "utf8" }).trim();

export const DNSMASQ_IMAGE = "zt-gitops/dnsmasq:local";
export const STANDIN_IMAGE = "zt-gitops/cloudflared-standin:test";

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Debian's docker CLI against our engine only (never the machine's default one). */
export function docker(...args: string[]): Result {
  const r = spawnSync("/usr/bin/docker", ["-H", DOCKER_HOST, ...args], { encoding: "utf8" });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

/** Like docker(), but throws on a non-zero exit. */
export function dockerOk(...args: string[]): string {
  const r = docker(...args);
  if (r.code !== 0) throw new Error(`docker ${args.join(" ")}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Fails (never skips) unless the engine answers, the Docker plugin is built and the local images
 * exist (built here, idempotently, by toolchain/images.sh).
 */
export function requireDockerSetup(): void {
  const v = docker("version", "--format", "{{.Server.Version}}");
  if (v.code !== 0)
    throw new Error(
      `No Docker engine answers at ${DOCKER_HOST} (${v.stderr.split("\n")[0]}). The connector suite needs ` +
        `the project's own: npm run test:connector starts it, or run toolchain/dockerd.sh start (as root).`,
    );
  const plugin = dockerLayout().plugin;
  if (!existsSync(plugin))
    throw new Error(`The Docker plugin is not built (${plugin}): run npm run toolchain.`);
  execFileSync("bash", [join(REPO_ROOT, "toolchain", "images.sh")], {
    env: { ...process.env, DOCKER_HOST },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** Names of every container (all states) and network on the engine. */
export function inventory(): { containers: string[]; networks: string[] } {
  const lines = (s: string) => s.split("\n").filter(Boolean).sort();
  return {
    containers: lines(dockerOk("ps", "-a", "--format", "{{.Names}}")),
    networks: lines(dockerOk("network", "ls", "--format", "{{.Name}}")),
  };
}

/** docker inspect of one container, parsed. */
export function inspect(name: string): {
  Image: string;
  State: { Running: boolean; Status: string };
  Config: { Env: string[]; Image: string; Cmd: string[] };
  HostConfig: { RestartPolicy: { Name: string } };
  NetworkSettings: { Networks: Record<string, { IPAddress: string; IPAMConfig?: { IPv4Address?: string } }> };
} {
  return JSON.parse(dockerOk("inspect", name))[0];
}

/** A (IPv4) answers for NAME from dnsmasq at SERVER, asked from inside container FROM (busybox nslookup). */
export function nslookup(from: string, name: string, server: string): { addresses: string[]; text: string } {
  const r = docker("exec", from, "nslookup", name, server);
  const text = `${r.stdout}\n${r.stderr}`.trim();
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith("Name:"));
  const addresses =
    start < 0
      ? []
      : lines
          .slice(start)
          .map((l) => l.match(/^Address(?: \d+)?:\s*(\d+\.\d+\.\d+\.\d+)/)?.[1])
          .filter((a): a is string => a !== undefined);
  return { addresses, text };
}
