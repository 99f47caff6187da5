// Small HTTP helpers for the emulator tests: raw fetch, so every status,
// header and envelope field is visible to the assertions.
import { EMULATOR_DEFAULT_TOKEN, type RunningEmulator } from "../../emulator";

export const TOKEN = EMULATOR_DEFAULT_TOKEN;

export interface Res {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export async function call(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` },
): Promise<Res> {
  const res = await fetch(`${emu.apiBase}${path}`, {
    method,
    headers: { ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

export async function admin(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<Res> {
  const res = await fetch(`${emu.url}/__admin${path}`, {
    method,
    headers: body !== undefined ? { "Content-Type": "application/json" } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

/** Unwrap a successful envelope, failing loudly with the errors otherwise. */
export async function result(emu: RunningEmulator, method: string, path: string, body?: unknown) {
  const r = await call(emu, method, path, body);
  if (r.status >= 300 || !r.json?.success)
    throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.result;
}

export const acct = (emu: RunningEmulator) => `/accounts/${emu.accountId}`;
