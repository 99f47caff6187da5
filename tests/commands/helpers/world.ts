// One test world: an emulator, a fake Docker engine with the connector's containers running, and a
// project pointing at both. `reset()` puts back the healthy account between tests.
import { type RunningEmulator, startEmulator } from "../../../emulator";
import { container, FakeDocker, startFakeDocker } from "./fake-docker";
import { makeProject, Project, ProjectOptions } from "./project";
import { Seeded, seedHealthy } from "./seed";

export interface World {
  emu: RunningEmulator;
  docker: FakeDocker;
  project: Project;
  seeded: Seeded;
  options: ProjectOptions;
  /** Fresh healthy account, running containers, default project files. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export const healthyContainers = () => [
  container("cloudflared-1"),
  container("cloudflared-2"),
  container("dnsmasq"),
];

export async function startWorld(opts: { tokens?: string[] } = {}): Promise<World> {
  const emu = await startEmulator({ port: 0, tokens: opts.tokens });
  const docker = await startFakeDocker(healthyContainers());
  const options: ProjectOptions = { baseUrl: emu.apiBase, dockerHost: docker.host };
  const project = makeProject(options);
  const world: World = {
    emu,
    docker,
    project,
    options,
    seeded: undefined as unknown as Seeded,
    async reset() {
      emu.state.reset();
      emu.faults.clear();
      emu.clearRequests();
      docker.containers.splice(0, docker.containers.length, ...healthyContainers());
      project.write(options);
      world.seeded = await seedHealthy(emu, project);
      emu.clearRequests(); // tests look only at what the command asked
    },
    async close() {
      await emu.close();
      await docker.close();
      project.remove();
    },
  };
  await world.reset();
  return world;
}
