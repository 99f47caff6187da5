// A Docker Engine API stand-in on tcp://127.0.0.1:PORT: answers `GET /containers/json` (what
// `docker ps` asks, with or without the /v1.xx prefix) and `/_ping`, from a list the test controls.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeContainer {
  Names: string[];
  State: string;
  Status: string;
  Image: string;
  Labels: Record<string, string>;
}

export interface FakeDocker {
  host: string;
  containers: FakeContainer[];
  requests: string[];
  close(): Promise<void>;
}

export const container = (name: string, state = "running", service = name): FakeContainer => ({
  Names: [`/${name}`],
  State: state,
  Status: state === "running" ? "Up 3 hours" : "Exited (1) 10 minutes ago",
  Image: name.startsWith("cloudflared") ? "cloudflare/cloudflared:2025.11.1" : "dockurr/dnsmasq:2.91",
  Labels: { "com.docker.compose.service": service },
});

export async function startFakeDocker(containers: FakeContainer[] = []): Promise<FakeDocker> {
  const state: FakeDocker = { host: "", containers, requests: [], close: async () => {} };
  const server = createServer((req, res) => {
    state.requests.push(`${req.method} ${req.url}`);
    res.setHeader("Api-Version", "1.43");
    const path = (req.url ?? "").replace(/^\/v\d+\.\d+/, "").split("?")[0];
    if (path === "/_ping") {
      res.setHeader("Content-Type", "text/plain");
      res.end("OK");
      return;
    }
    if (path === "/containers/json") {
      res.setHeader("Content-Type", "application/json");
      res.end(
        JSON.stringify(
          state.containers.map((c, i) => ({
            Id: `c${i}`,
            Created: 1_700_000_000,
            Command: "x",
            Ports: [],
            Mounts: [],
            NetworkSettings: { Networks: {} },
            HostConfig: {},
            ...c,
          })),
        ),
      );
      return;
    }
    res.statusCode = 404;
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ message: `page not found: ${path}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.host = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
