// Engine API calls beyond `docker ps` (src/zt/docker.ts): `docker exec` for doctor's dnsmasq probe
// and `docker network ls` for the connector preflight. unix:// and tcp:// hosts are asked directly;
// ssh:// hosts go through the docker CLI, which knows how to tunnel.
import { execFile } from "node:child_process";
import { request } from "node:http";

const TIMEOUT_MS = 15_000;

export type ExecResult = { ok: true; exitCode: number; output: string } | { ok: false; reason: string };

/** `docker exec CONTAINER CMD...` on the stack's engine: the Engine API for unix/tcp, the CLI for ssh. */
export function dockerExec(
  host: string,
  container: string,
  cmd: string[],
  options: { command?: string; timeoutMs?: number } = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  if (host.startsWith("unix://") || host.startsWith("tcp://"))
    return engineExec(host, container, cmd, timeoutMs);
  const env = { ...process.env };
  delete env.DOCKER_HOST;
  delete env.DOCKER_CONTEXT;
  return new Promise((resolve) => {
    execFile(
      options.command ?? "docker",
      ["--host", host, "exec", container, ...cmd],
      { env, timeout: timeoutMs, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        const e = error as (NodeJS.ErrnoException & { code?: number | string }) | null;
        if (e && typeof e.code !== "number") {
          resolve({ ok: false, reason: String(stderr).trim().split("\n")[0] || e.message });
          return;
        }
        resolve({ ok: true, exitCode: e ? Number(e.code) : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}

function engineCall(
  host: string,
  method: string,
  path: string,
  body: unknown,
  timeoutMs: number,
): Promise<{ status: number; body: Buffer }> {
  const target = host.startsWith("unix://")
    ? { socketPath: host.slice("unix://".length) }
    : (() => {
        const u = new URL(host.replace(/^tcp:/, "http:"));
        return { host: u.hostname, port: Number(u.port || 2375) };
      })();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...target,
        method,
        path,
        timeout: timeoutMs,
        headers: { Host: "docker", ...(payload ? { "Content-Type": "application/json" } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Output of a non-TTY exec: frames of [stream, 0, 0, 0, size(4, big-endian)] + payload. */
function demultiplex(raw: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= raw.length) {
    const size = raw.readUInt32BE(i + 4);
    parts.push(raw.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts).toString("utf8");
}

async function engineExec(
  host: string,
  container: string,
  cmd: string[],
  timeoutMs: number,
): Promise<ExecResult> {
  try {
    const created = await engineCall(
      host,
      "POST",
      `/containers/${encodeURIComponent(container)}/exec`,
      { AttachStdout: true, AttachStderr: true, Cmd: cmd },
      timeoutMs,
    );
    if (created.status !== 201)
      return {
        ok: false,
        reason: `exec in ${container}: ${created.status} ${created.body.toString().trim()}`,
      };
    const id = (JSON.parse(created.body.toString()) as { Id: string }).Id;
    const started = await engineCall(
      host,
      "POST",
      `/exec/${id}/start`,
      { Detach: false, Tty: false },
      timeoutMs,
    );
    if (started.status !== 200)
      return {
        ok: false,
        reason: `exec in ${container}: ${started.status} ${started.body.toString().trim()}`,
      };
    const info = await engineCall(host, "GET", `/exec/${id}/json`, undefined, timeoutMs);
    const exitCode = Number((JSON.parse(info.body.toString()) as { ExitCode?: number }).ExitCode ?? -1);
    return { ok: true, exitCode, output: demultiplex(started.body) };
  } catch (e) {
    return { ok: false, reason: `${host}: ${(e as Error).message}` };
  }
}

export type DockerNetworks =
  { reachable: true; networks: { name: string; subnets: string[] }[] } | { reachable: false; reason: string };

/** `docker network ls` with subnets, over the Engine API (unix:// and tcp:// hosts). */
export async function dockerNetworks(host: string, timeoutMs = TIMEOUT_MS): Promise<DockerNetworks> {
  try {
    const r = await engineCall(host, "GET", "/networks", undefined, timeoutMs);
    if (r.status !== 200)
      return { reachable: false, reason: `${host} answered ${r.status}: ${r.body.toString().slice(0, 120)}` };
    const list = JSON.parse(r.body.toString()) as Array<{
      Name: string;
      IPAM?: { Config?: Array<{ Subnet?: string }> | null };
    }>;
    return {
      reachable: true,
      networks: list.map((n) => ({
        name: n.Name,
        subnets: (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? "").filter(Boolean),
      })),
    };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such socket"
        : code === "ECONNREFUSED"
          ? "connection refused"
          : (e as Error).message;
    return { reachable: false, reason: `${host}: ${why}` };
  }
}
