// A minimal HTTP stand-in for the two APIs the engine tests drive: Cloudflare's Zero Trust
// lists (the real plugin calls these, with Cloudflare's response envelope) and a tiny "records"
// API the tests' dynamic resources call. Every request is logged so tests can assert what the
// engine actually sent. The full local Cloudflare lives in emulator/; this stays independent.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface LoggedRequest {
  method: string;
  path: string;
  body: unknown;
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
  records: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
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

function handleRecords(method: string, id: string | undefined, body: any, api: StubApi, res: ServerResponse): void {
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

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? JSON.parse(text) : undefined;
}

export async function startStubApi(): Promise<StubApi> {
  const api = { requests: [], lists: new Map(), records: new Map() } as unknown as StubApi;
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://stub");
      const body = await readBody(req);
      const method = req.method ?? "GET";
      api.requests.push({ method, path: url.pathname, body });
      const parts = url.pathname.split("/").filter(Boolean);
      if (parts[0] === "client" && parts[1] === "v4" && parts[2] === "accounts" && parts[4] === "gateway" && parts[5] === "lists") {
        return handleLists(method, parts.slice(2), body, api, res);
      }
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
