import { execFile } from "node:child_process";
import { request } from "node:http";

// `docker ps` on the server's Docker engine, the one the stack's connector uses (zt:connector.dockerHost).
// unix:// and tcp:// hosts are asked directly over the Engine API (GET /containers/json), so doctor
// needs no docker CLI on the server; ssh:// hosts go through the docker CLI, which knows how to tunnel.

export interface ContainerInfo {
  name: string;
  state: string;
  status: string;
  image: string;
  labels: Record<string, string>;
}

export type DockerPs =
  { reachable: true; containers: ContainerInfo[] } | { reachable: false; reason: string };

const TIMEOUT_MS = 15_000;

export function dockerPs(
  host: string,
  options: { command?: string; timeoutMs?: number } = {},
): Promise<DockerPs> {
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  if (host.startsWith("unix://") || host.startsWith("tcp://")) return engineApiPs(host, timeoutMs);
  return cliPs(host, options.command ?? "docker", timeoutMs);
}

function engineApiPs(host: string, timeoutMs: number): Promise<DockerPs> {
  const target = host.startsWith("unix://")
    ? { socketPath: host.slice("unix://".length) }
    : (() => {
        const u = new URL(host.replace(/^tcp:/, "http:"));
        return { host: u.hostname, port: Number(u.port || 2375) };
      })();
  return new Promise((resolve) => {
    const req = request(
      {
        ...target,
        method: "GET",
        path: "/containers/json?all=1",
        timeout: timeoutMs,
        headers: { Host: "docker" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode !== 200) {
            resolve({
              reachable: false,
              reason: `the Docker engine at ${host} answered ${res.statusCode}: ${text.slice(0, 120).trim()}`,
            });
            return;
          }
          try {
            const list = JSON.parse(text) as Array<Record<string, unknown>>;
            resolve({
              reachable: true,
              containers: list.map((c) => ({
                name: String((c.Names as string[] | undefined)?.[0] ?? "").replace(/^\//, ""),
                state: String(c.State ?? ""),
                status: String(c.Status ?? ""),
                image: String(c.Image ?? ""),
                labels: (c.Labels as Record<string, string> | null) ?? {},
              })),
            });
          } catch {
            resolve({ reachable: false, reason: `${host} did not answer like a Docker engine` });
          }
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on("error", (e: NodeJS.ErrnoException) => {
      const why =
        e.code === "ENOENT"
          ? "no such socket"
          : e.code === "ECONNREFUSED"
            ? "connection refused"
            : e.code === "EACCES"
              ? "permission denied (add the user to the docker group)"
              : e.message;
      resolve({ reachable: false, reason: `${host}: ${why}` });
    });
    req.end();
  });
}

function parseLabels(text: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof text !== "string") return out;
  for (const pair of text.split(",")) {
    const i = pair.indexOf("=");
    if (i > 0) out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

/** `docker --host HOST ps` for hosts only the CLI can reach (ssh://). */
export function cliPs(host: string, command: string, timeoutMs = TIMEOUT_MS): Promise<DockerPs> {
  // DOCKER_HOST / DOCKER_CONTEXT would compete with --host; the stack's host is the one that matters.
  const env = { ...process.env };
  delete env.DOCKER_HOST;
  delete env.DOCKER_CONTEXT;
  return new Promise((resolve) => {
    execFile(
      command,
      ["--host", host, "ps", "--all", "--no-trunc", "--format", "{{json .}}"],
      { env, timeout: timeoutMs, maxBuffer: 8 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          const e = error as NodeJS.ErrnoException & { killed?: boolean };
          const reason =
            e.code === "ENOENT"
              ? `the docker CLI (${command}) is not installed, and ${host} can only be reached through it`
              : e.killed
                ? `${host}: no answer within ${timeoutMs / 1000} s`
                : (String(stderr).trim().split("\n")[0] || e.message).replace(/\s+/g, " ");
          resolve({ reachable: false, reason });
          return;
        }
        const containers: ContainerInfo[] = [];
        for (const line of String(stdout).split("\n")) {
          if (!line.trim()) continue;
          let c: Record<string, unknown>;
          try {
            c = JSON.parse(line) as Record<string, unknown>;
          } catch {
            resolve({ reachable: false, reason: `unexpected output from docker ps: ${line.slice(0, 80)}` });
            return;
          }
          containers.push({
            name: String(c.Names ?? "")
              .split(",")[0]
              .replace(/^\//, ""),
            state: String(c.State ?? ""),
            status: String(c.Status ?? ""),
            image: String(c.Image ?? ""),
            labels: parseLabels(c.Labels),
          });
        }
        resolve({ reachable: true, containers });
      },
    );
  });
}
