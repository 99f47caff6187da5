// A Docker Engine API stand-in on tcp://127.0.0.1:PORT: answers `GET /containers/json` (what
// `docker ps` asks, with or without the /v1.xx prefix) and `/_ping`, from a list the test controls,
// and doctor's `docker exec dnsmasq nslookup NAME 127.0.0.1` from the `dns` map (busybox's output
// format; the real exchange is tested in tests/connector on a real engine).
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
  /** What nslookup inside the dnsmasq container answers: name -> IPv4; other names are REFUSED. */
  dns: Record<string, string>;
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
  const state: FakeDocker = {
    host: "",
    containers,
    dns: { "ocs.internal": "172.18.0.7" },
    requests: [],
    close: async () => {},
  };
  const execs = new Map<string, string[]>();
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
    const exec = path.match(/^\/containers\/([^/]+)\/exec$/);
    if (req.method === "POST" && exec) {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const id = `e${execs.size}`;
        execs.set(id, (JSON.parse(body) as { Cmd: string[] }).Cmd);
        res.statusCode = 201;
        res.setHeader("Content-Type", "application/json");
        res.end(JSON.stringify({ Id: id }));
      });
      return;
    }
    const start = path.match(/^\/exec\/([^/]+)\/(start|json)$/);
    if (start && execs.has(start[1])) {
      const [tool, name, server] = execs.get(start[1])!;
      const ip = tool === "nslookup" ? state.dns[name] : undefined;
      if (start[2] === "json") {
        res.setHeader("Content-Type", "application/json");
        res.end(JSON.stringify({ ExitCode: ip ? 0 : 1 }));
        return;
      }
      const text = ip
        ? `Server:\t\t${server}\nAddress:\t${server}:53\n\nName:\t${name}\nAddress: ${ip}\n`
        : `Server:\t\t${server}\nAddress:\t${server}:53\n\n** server can't find ${name}: REFUSED\n`;
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = 1;
      header.writeUInt32BE(payload.length, 4);
      res.setHeader("Content-Type", "application/vnd.docker.raw-stream");
      res.end(Buffer.concat([header, payload]));
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
