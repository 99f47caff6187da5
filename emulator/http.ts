// Cloudflare's response envelope and error type, shared by every API area.
import { randomBytes, randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

// API objects are free-form JSON: the provider decides which keys matter, and
// the emulator must echo whatever it was sent, so a loose type is the honest one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export interface CfError {
  code: number;
  message: string;
  error_chain?: CfError[];
}

/** Thrown by handlers; the server turns it into a `success:false` envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: CfError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.map((e) => `${e.code}: ${e.message}`).join("; "));
  }
}

/** An error answer. With `retry_header=off` 409/5xx carry `x-should-retry: false` (the
 * pre-issue-14 behaviour, so SDKs do not retry them); by default the server strips the
 * header, as there is no evidence Cloudflare sends it (FIDELITY.md). */
export function fail(status: number, code: number, message: string): never {
  const headers: Record<string, string> =
    status === 409 || status >= 500 ? { "x-should-retry": "false" } : {};
  throw new ApiError(status, [{ code, message }], headers);
}

export function notFound(code: number, message: string): never {
  fail(404, code, message);
}

export interface ResultInfo {
  page?: number;
  per_page?: number;
  count?: number;
  total_count?: number;
  total_pages?: number;
  cursor?: string;
}

/** What a handler returns: the `result` plus optional paging info and status. */
export interface Reply {
  status?: number;
  result: unknown;
  result_info?: ResultInfo;
  headers?: Record<string, string>;
}

export function ok(result: unknown, result_info?: ResultInfo): Reply {
  return result_info ? { result, result_info } : { result };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text).toString(),
    ...headers,
  });
  res.end(text);
}

export function envelopeOk(reply: Reply): Obj {
  const env: Obj = { success: true, errors: [], messages: [], result: reply.result };
  if (reply.result_info) env.result_info = reply.result_info;
  return env;
}

export function envelopeError(errors: CfError[]): Obj {
  return { success: false, errors, messages: [], result: null };
}

// ---------- ids and time ----------

/** Hyphenated UUID: Zero Trust objects (apps, policies, lists, tunnels, routes). */
export const uuid = (): string => randomUUID();
/** 32 lowercase hex chars: DNS record ids, like Cloudflare's. */
export const hex32 = (): string => randomBytes(16).toString("hex");
export const hex = (bytes: number): string => randomBytes(bytes).toString("hex");

/** RFC 3339 without milliseconds: the provider parses with time.RFC3339. */
export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

// ---------- JSON helpers ----------

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Drop null/undefined keys at every depth of objects (not array slots).
 * A PUT-full from the provider sends explicit `null` for attributes removed
 * from the plan; storing the key as absent is what keeps GET from echoing a
 * value the provider no longer has. */
export function stripNulls<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => stripNulls(x)) as T;
  if (v && typeof v === "object") {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v as Obj)) {
      if (x === null || x === undefined) continue;
      out[k] = stripNulls(x);
    }
    return out as T;
  }
  return v;
}

/** Keys starting with `_` are emulator bookkeeping, never part of a response. */
export function publicView(o: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) if (!k.startsWith("_")) out[k] = v;
  return out;
}

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
