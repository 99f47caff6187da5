// A minimal HTTP stand-in for the two APIs the engine tests drive: Cloudflare's Zero Trust
// lists (the real plugin calls these, with Cloudflare's response envelope) and a tiny "records"
// API the tests' dynamic resources call. Every request is logged so tests can assert what the
// engine actually sent. The full local Cloudflare lives in emulator/; this stays independent.
/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are whatever JSON the engine sent; the stub stores and echoes them as they are, so their fields are read untyped on purpose */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface LoggedRequest {
  method: string;
  path: string;
  body: unknown;
  authorization?: string;
}

export interface GatewayList {
  id: string;
  name: string;
  type: string;
  description: string;
  items: Array<{ value: string; description?: string }>;
  created_at: string;
  updated_at: string;
}

export interface StubApi {
  /** e.g. http://127.0.0.1:PORT/client/v4 (what CLOUDFLARE_BASE_URL expects). */
  cloudflareBaseUrl: string;
  /** e.g. http://127.0.0.1:PORT/records */
  recordsUrl: string;
  requests: LoggedRequest[];
  lists: Map<string, GatewayList>;
  /** Account singletons (devices/settings, access/organizations) by path, and logpush jobs by id. */
  singletons: Map<string, Record<string, unknown>>;
  logpushJobs: Map<number, Record<string, unknown>>;
  records: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

function send(res: ServerResponse, status: number, body: unknown): void {
  // Cloudflare's SDK retries 5xx/409 for minutes unless told the error is final.
  res.writeHead(status, { "Content-Type": "application/json", "x-should-retry": "false" });
  res.end(JSON.stringify(body));
}

/** Cloudflare's envelope: the provider reads only `result`, but the SDK expects the shape. */
function envelope(res: ServerResponse, status: number, result: unknown): void {
  const ok = status < 400;
  send(res, status, {
    success: ok,
    errors: ok ? [] : [{ code: 1000 + status, message: String(result) }],
    messages: [],
    result: ok ? result : null,
  });
}

const listView = (l: GatewayList) => ({ ...l, count: l.items.length });

function handleLists(method: string, parts: string[], body: any, api: StubApi, res: ServerResponse): void {
  // parts: ["accounts", ACCOUNT, "gateway", "lists", ID?]
  const id = parts[4];
  const list = id ? api.lists.get(id) : undefined;
  if (id && !list) return envelope(res, 404, "list not found");
  if (method === "POST" && !id) {
    const created: GatewayList = {
      id: randomUUID(),
      name: body.name,
      type: body.type,
      description: body.description ?? "",
      items: body.items ?? [],
      created_at: now(),
      updated_at: now(),
    };
    api.lists.set(created.id, created);
    return envelope(res, 200, listView(created));
  }
  if (method === "GET" && list) return envelope(res, 200, listView(list));
  if (method === "PUT" && list) {
    Object.assign(list, {
      name: body.name,
      description: body.description ?? "",
      items: body.items ?? [],
      updated_at: now(),
    });
    return envelope(res, 200, listView(list));
  }
  if (method === "DELETE" && list) {
    api.lists.delete(list.id);
    return envelope(res, 200, { id: list.id });
  }
  envelope(res, 405, `${method} not supported here`);
}

function handleRecords(
  method: string,
  id: string | undefined,
  body: any,
  api: StubApi,
  res: ServerResponse,
): void {
  const record = id ? api.records.get(id) : undefined;
  if (id && !record) return send(res, 404, { error: "record not found" });
  if (method === "POST" && !id) {
    const created = { ...body, id: randomUUID() };
    api.records.set(created.id, created);
    return send(res, 200, created);
  }
  if (method === "GET" && record) return send(res, 200, record);
  if (method === "PUT" && record) {
    const updated = { ...body, id };
    api.records.set(id!, updated);
    return send(res, 200, updated);
  }
  if (method === "DELETE" && record) {
    api.records.delete(id!);
    return send(res, 200, { id });
  }
  send(res, 405, { error: `${method} not supported here` });
}

/** PUT-full singletons: the stored object is exactly what was last PUT (Optional fields echo). */
function handleSingleton(method: string, path: string, body: any, api: StubApi, res: ServerResponse): void {
  const stored = api.singletons.get(path);
  if (method === "PUT") {
    api.singletons.set(path, body);
    return envelope(res, 200, body);
  }
  if (method === "GET") return stored ? envelope(res, 200, stored) : envelope(res, 404, "not set");
  if (method === "DELETE") {
    api.singletons.delete(path);
    return envelope(res, 200, {});
  }
  envelope(res, 405, `${method} not supported here`);
}

/** Logpush jobs have integer ids (the bridge turns them into the string Pulumi id). */
function handleLogpushJobs(
  method: string,
  id: string | undefined,
  body: any,
  api: StubApi,
  res: ServerResponse,
): void {
  const job = id ? api.logpushJobs.get(Number(id)) : undefined;
  if (id && !job) return envelope(res, 404, "job not found");
  if (method === "POST" && !id) {
    const created = {
      ...body,
      id: api.logpushJobs.size + 1001,
      error_message: null,
      last_complete: null,
      last_error: null,
    };
    api.logpushJobs.set(created.id, created);
    return envelope(res, 200, created);
  }
  if (method === "GET" && job) return envelope(res, 200, job);
  if (method === "PUT" && job) {
    Object.assign(job, body);
    return envelope(res, 200, job);
  }
  if (method === "DELETE" && job) {
    api.logpushJobs.delete(job.id as number);
    return envelope(res, 200, { id: job.id });
  }
  envelope(res, 405, `${method} not supported here`);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? JSON.parse(text) : undefined;
}

export async function startStubApi(): Promise<StubApi> {
  const api = {
    requests: [],
    lists: new Map(),
    singletons: new Map(),
    logpushJobs: new Map(),
    records: new Map(),
  } as unknown as StubApi;
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://stub");
      const body = await readBody(req);
      const method = req.method ?? "GET";
      api.requests.push({ method, path: url.pathname, body, authorization: req.headers.authorization });
      const parts = url.pathname.split("/").filter(Boolean);
      const inAccount = parts[0] === "client" && parts[1] === "v4" && parts[2] === "accounts";
      const area = parts.slice(4, 6).join("/");
      if (inAccount && area === "gateway/lists") return handleLists(method, parts.slice(2), body, api, res);
      if (
        inAccount &&
        (area === "devices/settings" || area === "access/organizations") &&
        parts.length === 6
      ) {
        return handleSingleton(method, url.pathname, body, api, res);
      }
      if (inAccount && area === "logpush/jobs") return handleLogpushJobs(method, parts[6], body, api, res);
      if (parts[0] === "records") return handleRecords(method, parts[1], body, api, res);
      envelope(res, 404, `no route for ${method} ${url.pathname}`);
    } catch (err) {
      envelope(res, 500, String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  api.cloudflareBaseUrl = `http://127.0.0.1:${port}/client/v4`;
  api.recordsUrl = `http://127.0.0.1:${port}/records`;
  api.close = () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  return api;
}
