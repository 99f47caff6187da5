// The HTTP server: one pipeline for every API request —
// fault -> auth -> body -> account/zone check -> handler -> save -> log.
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { AdminError, handleAdmin } from "./admin";
import { registerAccess } from "./api/access";
import { registerAccounts } from "./api/accounts";
import { registerDevices } from "./api/devices";
import { registerDns } from "./api/dns";
import { registerLists } from "./api/lists";
import { registerLogpush } from "./api/logpush";
import { registerOrganization } from "./api/organization";
import { registerPhysicalDevices } from "./api/physical-devices";
import { registerPortal } from "./portal";
import { registerPosture } from "./api/posture";
import { registerRegistrations } from "./api/registrations";
import { registerRoutes } from "./api/routes";
import { registerTunnels } from "./api/tunnels";
import { authenticate } from "./auth";
import { type FaultRule, Faults, faultResponse } from "./faults";
import { ApiError, type Reply, envelopeError, envelopeOk, sendJson } from "./http";
import { type RequestLogEntry, RequestLog, redactQuery } from "./log";
import { isLoopback, readBody, restore, scopeStore, who } from "./pipeline";
import { RateLimiter } from "./ratelimit";
import { type Realism, type RealismOption, resolveRealism } from "./realism";
import { type Ctx, Router } from "./router";
import { Store } from "./state";

export const API_PREFIX = "/client/v4";

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** JSON file to load on start and rewrite (atomically) after every change. */
  stateFile?: string;
  /** If set, only these bearer tokens (or global API keys) are accepted. */
  tokens?: string[];
  /** Fault rules active from the start. */
  faults?: FaultRule[];
  /** Receives one line per request (never with secrets). */
  log?: (line: string) => void;
  /** Request log entries kept (oldest dropped first); default 100000, 0 = no limit. */
  requestLogLimit?: number;
  /** Realism switches (FIDELITY.md): "on" (default), "off" (pre-issue-14 behaviour),
   * a `--realism` string such as "lists=off,ratelimit=5000", or an object of overrides.
   * Unset: the ZT_EMULATOR_REALISM environment variable, else "on". */
  realism?: RealismOption;
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + "/client/v4": what the provider's base_url and the SDK's baseURL take. */
  apiBase: string;
  port: number;
  accountId: string;
  zoneId: string;
  /** Every Cloudflare API request since start (or clearRequests), in order; admin calls are left out. */
  requests(): RequestLogEntry[];
  /** How many of the oldest entries the log limit removed (0 unless requestLogLimit was reached). */
  requestsDropped(): number;
  clearRequests(): void;
  /** Direct access to the state (tests may read and mutate `state.data`; call `state.save()` to persist). */
  state: Store;
  /** The live fault rules (add/clear without going through HTTP). */
  faults: Faults;
  /** The realism switches in force. */
  realism: Realism;
  /** The per-token rate limit windows (reset() clears them). */
  rateLimiter: RateLimiter;
  close(): Promise<void>;
}

export function buildRouter(): Router {
  const r = new Router();
  registerAccounts(r);
  registerDns(r);
  registerLogpush(r);
  registerAccess(r);
  registerOrganization(r);
  registerDevices(r);
  registerPosture(r);
  registerRegistrations(r);
  registerPhysicalDevices(r);
  registerLists(r);
  registerTunnels(r);
  registerRoutes(r);
  registerPortal(r);
  return r;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startServer(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  // ZT_EMULATOR_REALISM (same syntax as --realism) applies where the caller sets no option:
  // npm start, npm test and the e2e suite can then run with `off` without code changes.
  const realism = resolveRealism(opts.realism ?? (process.env.ZT_EMULATOR_REALISM || undefined));
  const store = new Store(opts.stateFile, realism);
  const limiter = new RateLimiter(realism);
  const faults = new Faults(opts.faults ?? []);
  // No evidence that Cloudflare sends x-should-retry (FIDELITY.md), so with
  // realism it is only sent when a fault rule asks for it explicitly.
  const headersOut = (h: Record<string, string> = {}): Record<string, string> => {
    if (!realism.noRetryHeader) return h;
    const { "x-should-retry": _drop, ...rest } = h;
    return rest;
  };
  const log = new RequestLog(opts.log, opts.requestLogLimit);
  const allow = opts.tokens && opts.tokens.length ? new Set(opts.tokens) : undefined;
  const router = buildRouter();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://emulator.local");
    const entry: RequestLogEntry = {
      at: new Date().toISOString(),
      method,
      path: url.pathname,
      query: redactQuery(url.searchParams),
      status: 0,
      ms: 0,
    };
    const finish = (status: number) => {
      entry.status = status;
      entry.ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
      log.add(entry);
    };

    // ---- admin API ----
    if (url.pathname === "/__admin" || url.pathname.startsWith("/__admin/")) {
      entry.admin = true;
      if (!isLoopback(req.socket.remoteAddress)) {
        sendJson(res, 403, { error: "the admin API only answers on loopback" });
        return finish(403);
      }
      try {
        const raw = await readBody(req);
        const body = raw ? JSON.parse(raw) : undefined;
        const out = handleAdmin(
          { store, faults, log, limiter },
          method,
          url.pathname,
          url.searchParams,
          body,
        );
        sendJson(res, out.status, out.body);
        return finish(out.status);
      } catch (e) {
        const status = e instanceof AdminError ? e.status : e instanceof SyntaxError ? 400 : 500;
        sendJson(res, status, { error: (e as Error).message });
        return finish(status);
      }
    }

    // ---- Cloudflare API ----
    try {
      if (!url.pathname.startsWith(`${API_PREFIX}/`))
        throw new ApiError(404, [{ code: 7000, message: "No route for that URI" }]);
      const path = url.pathname.slice(API_PREFIX.length);

      const fault = faults.take(method, path);
      if (fault) {
        entry.fault = fault.lostResponse
          ? `lost response ${fault.status ?? 502}`
          : fault.status
            ? `${fault.status}`
            : `delay ${fault.delayMs}ms`;
        if (fault.delayMs) await sleep(fault.delayMs);
        if (fault.status && !fault.lostResponse) {
          await readBody(req).catch(() => "");
          const f = faultResponse(fault, realism);
          sendJson(res, f.status, envelopeError([{ code: f.code, message: f.message }]), f.headers);
          return finish(f.status);
        }
      }

      const auth = authenticate(req.headers, allow);
      limiter.check(who(auth));
      const { handler, params } = router.match(method, path);
      const raw = await readBody(req);
      let body: unknown;
      if (raw.trim()) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new ApiError(400, [{ code: 6007, message: "Malformed JSON in request body" }]);
        }
      }
      const scoped = scopeStore(store, params, path);
      const ctx: Ctx = {
        method,
        path,
        params,
        query: url.searchParams,
        body,
        store: scoped,
        root: store,
        realism,
        headers: req.headers,
        auth: auth.kind === "token" ? { kind: "token", token: auth.token } : { kind: "key" },
      };
      // A write that fails half-way must change nothing: snapshot, and put it back on any error.
      const snapshot = method !== "GET" ? JSON.stringify(scoped.data) : undefined;
      let reply: Reply;
      try {
        reply = handler(ctx);
      } catch (e) {
        if (snapshot !== undefined) restore(scoped.data, snapshot);
        throw e;
      }
      if (method !== "GET") store.save();
      if (fault?.lostResponse) {
        // The "lost response": the change above is made and saved, the caller only sees a 5xx.
        const f = faultResponse({ ...fault, status: fault.status ?? 502 }, realism);
        sendJson(res, f.status, envelopeError([{ code: f.code, message: f.message }]), f.headers);
        return finish(f.status);
      }
      const status = reply.status ?? 200;
      sendJson(res, status, envelopeOk(reply), headersOut(reply.headers));
      return finish(status);
    } catch (e) {
      if (e instanceof ApiError) {
        sendJson(res, e.status, envelopeError(e.errors), headersOut(e.headers));
        return finish(e.status);
      }
      opts.log?.(`emulator: internal error on ${method} ${url.pathname}: ${(e as Error).stack ?? e}`);
      sendJson(
        res,
        500,
        envelopeError([{ code: 10001, message: "Internal server error" }]),
        headersOut({ "x-should-retry": "false" }),
      );
      return finish(500);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) sendJson(res, 500, envelopeError([{ code: 10001, message: String(e) }]));
    });
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost =
    host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;

  return {
    url,
    apiBase: `${url}${API_PREFIX}`,
    port,
    accountId: store.data.account.id,
    zoneId: store.data.zones[0].id,
    requests: () => log.entries().filter((e) => !e.admin),
    requestsDropped: () => log.dropped(),
    clearRequests: () => log.clear(),
    state: store,
    faults,
    realism,
    rateLimiter: limiter,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
