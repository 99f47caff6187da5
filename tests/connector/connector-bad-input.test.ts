// Bad connector input on a real Docker engine: each fails with a clear error at or before the first
// Docker call, and leaves nothing behind that the run did not report (the preflight in
// src/docker/preflight.ts refuses before anything is declared; a missing image fails before the
// network or any container is created, because the network waits for the images).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { objectCounts } from "../../bench/harness/product-run";
import { docker, dockerOk, inventory, requireDockerSetup } from "./helpers/engine";
import { connectorConfig, openConnectorProject, type ConnectorProject } from "./helpers/connector-project";

const NET = { name: "zt-conn-bad", cidr: "10.216.0.0/16", dnsmasqAddress: "10.216.0.53" };
const HOSTS = { "ocs.internal": "10.216.0.7" };
const NOTHING_IN_CLOUDFLARE = {
  lists: 0,
  accessApps: 0,
  accessGroups: 0,
  accessPolicies: 0,
  postureRules: 0,
  tunnels: 0,
  routes: 0,
  dnsRecords: 0,
};

async function failure(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    return String((error as Error).message ?? error);
  }
  throw new Error("expected the run to fail");
}

describe("connector: bad input fails clearly and leaves nothing unreported", () => {
  let before: { containers: string[]; networks: string[] };
  const projects: ConnectorProject[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test configs are patched freely, by key path
  const open = async (patch: (c: Record<string, any>) => void) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
    const config = connectorConfig({ ...NET, hosts: HOSTS }) as Record<string, any>;
    patch(config);
    const p = await openConnectorProject("zt-connector-bad", config);
    projects.push(p);
    return p;
  };

  beforeAll(() => {
    requireDockerSetup();
    for (const n of [NET.name, "zt-squatter"]) docker("network", "rm", n);
    before = inventory();
  });

  afterAll(async () => {
    for (const n of [NET.name, "zt-squatter"]) docker("network", "rm", n);
    for (const p of projects) await p.close();
  });

  it("an unreachable dockerHost: refused before anything is declared, with the stack file's line", async () => {
    const p = await open((c) => (c["zt:connector"].dockerHost = "unix:///nonexistent/zt/docker.sock"));
    const message = await failure(p.up());
    expect(message).toMatch(
      /Pulumi\.conn\.yaml:\d+:\d+: zt:connector\.dockerHost: no Docker engine answers at/,
    );
    expect(message).toContain("unix:///nonexistent/zt/docker.sock: no such socket); nothing was changed");
    expect(message).toContain("toolchain/dockerd.sh start");
    expect(objectCounts(p.emulator)).toEqual(NOTHING_IN_CLOUDFLARE);
    expect(inventory()).toEqual(before);
  });

  it("a subnet that collides with an existing network: refused, naming that network", async () => {
    dockerOk("network", "create", "--subnet", "10.216.128.0/24", "zt-squatter");
    const p = await open(() => undefined);
    const message = await failure(p.up());
    expect(message).toMatch(
      /Pulumi\.conn\.yaml:\d+:\d+: zt:privateNetwork\.cidr 10\.216\.0\.0\/16 overlaps Docker network "zt-squatter" \(10\.216\.128\.0\/24\)/,
    );
    expect(message).toContain("Choose a free range (e.g. 10.217.0.0/16)");
    expect(objectCounts(p.emulator)).toEqual(NOTHING_IN_CLOUDFLARE);
    expect(inventory()).toEqual({ ...before, networks: [...before.networks, "zt-squatter"].sort() });
    dockerOk("network", "rm", "zt-squatter");
  });

  it("a missing image: fails at the image, before the network or any container exists", async () => {
    // A registry on loopback that is not there: the pull fails at once, and no traffic leaves the machine.
    const p = await open((c) => (c["zt:connector"].dnsmasqImage = "127.0.0.1:1/zt-gitops/missing:1"));
    const run = p.up();
    const message = await failure(run);
    expect(message).toContain("127.0.0.1:1/zt-gitops/missing:1");
    expect(message).toMatch(/Unable to read Docker image into resource|unable to pull image/i);
    expect(inventory()).toEqual(before);
    // Whatever Cloudflare resources the run got to create before the failure (a race with the
    // image pull) are in the state: destroy, which only knows the state, leaves nothing behind.
    await p.destroy();
    expect(objectCounts(p.emulator)).toEqual(NOTHING_IN_CLOUDFLARE);
    expect(inventory()).toEqual(before);
  });
});
