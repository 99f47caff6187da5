// docker ps for doctor: the Engine API over tcp:// (and a unix socket path that does not exist), and
// the docker CLI path used for ssh:// hosts, pointed at the same fake engine.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPs, dockerPs } from "../../src/zt/docker";
import { container, FakeDocker, startFakeDocker } from "./helpers/fake-docker";

const hasDockerCli = spawnSync("docker", ["--version"]).status === 0;

describe("docker ps", () => {
  let fake: FakeDocker;
  beforeAll(async () => {
    fake = await startFakeDocker([container("cloudflared-1"), container("dnsmasq", "exited")]);
  });
  afterAll(() => fake.close());

  it("lists containers over the Engine API", async () => {
    const ps = await dockerPs(fake.host);
    expect(ps).toEqual({
      reachable: true,
      containers: [
        {
          name: "cloudflared-1",
          state: "running",
          status: "Up 3 hours",
          image: "cloudflare/cloudflared:2025.11.1",
          labels: { "com.docker.compose.service": "cloudflared-1" },
        },
        {
          name: "dnsmasq",
          state: "exited",
          status: "Exited (1) 10 minutes ago",
          image: "dockurr/dnsmasq:2.91",
          labels: { "com.docker.compose.service": "dnsmasq" },
        },
      ],
    });
  });

  it("says why an engine is unreachable", async () => {
    expect(await dockerPs("unix:///nonexistent/docker.sock")).toEqual({
      reachable: false,
      reason: "unix:///nonexistent/docker.sock: no such socket",
    });
    expect(await dockerPs("ssh://nobody@127.0.0.1", { command: "/nonexistent/docker" })).toEqual({
      reachable: false,
      reason:
        "the docker CLI (/nonexistent/docker) is not installed, and ssh://nobody@127.0.0.1 can only be reached through it",
    });
  });

  // Visible as skipped (not silently passed) where the docker CLI is not installed.
  it.runIf(hasDockerCli)("reads the docker CLI's JSON lines the same way (the ssh:// path)", async () => {
    const ps = await cliPs(fake.host, "docker");
    expect(ps).toEqual(await dockerPs(fake.host));
    expect(fake.requests.some((r) => /^GET \/v1\.\d+\/containers\/json\?all=1/.test(r))).toBe(true);
  });
});
