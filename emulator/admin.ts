// The /__admin/ API: lets tests and other processes see and steer the emulator
// the way only Cloudflare's own staff (or the dashboard) could: replace state,
// edit a resource behind the stack's back, seed sign-in events and devices,
// bring tunnels up and down, inject faults, read the request log.
// Plain JSON in and out (no Cloudflare envelope); no auth, loopback only.
import { AdminError, type AdminDeps, type AdminReply, need } from "./admin-types";
import { checkDevice, seedAccessRequest, seedConnectors, seedDevice, seedRegistration } from "./admin-seed";
import { resources } from "./admin-resources";
import { type Obj, isObj } from "./http";
import type { FaultRule } from "./faults";
import type { EmulatorState } from "./state";
import { TUNNEL_STATUSES } from "./api/tunnels";
import { physicalDevices } from "./api/physical-devices";
import { decide } from "./portal/decide";

export { AdminError, type AdminDeps, type AdminReply };

export function handleAdmin(
  deps: AdminDeps,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
): AdminReply {
  const { store, faults, log, limiter } = deps;
  // `?account=<id>` points every seed and edit at another account created below.
  const accountId = query.get("account");
  const acc = accountId ? need(store.account(accountId), `account ${accountId}`) : store;
  const s = acc.data;
  const seg = path
    .replace(/^\/__admin\/?/, "")
    .split("/")
    .filter(Boolean)
    .map(decodeURIComponent);
  const route = `${method} ${seg[0] ?? ""}`;
  const okBody = (b: unknown, status = 200): AdminReply => ({ status, body: b });
  const list = (b: unknown): Obj[] => (Array.isArray(b) ? b : [b]) as Obj[];

  switch (route) {
    case "POST access": // POST /__admin/access/decide (emulator/portal/decide.ts)
      if (seg[1] === "decide" && !seg[2]) return okBody(decide(acc, body));
      break;
    case "GET health":
      return okBody({
        ok: true,
        accountId: s.account.id,
        zoneId: s.zones[0]?.id ?? null,
        zoneName: s.zones[0]?.name ?? null,
        realism: store.realism,
      });
    case "GET accounts":
      return okBody(
        store.allAccounts().map((a) => ({ id: a.account.id, name: a.account.name, zones: a.zones })),
      );
    case "POST accounts": {
      // {id, name?, zone?: {id, name}}: a further account with its own fresh state.
      if (!isObj(body) || typeof body.id !== "string")
        throw new AdminError(400, "body must be {id: <32 hex>, name?, zone?: {id, name}}");
      if (
        body.zone !== undefined &&
        body.zone !== null &&
        (!isObj(body.zone) || typeof body.zone.name !== "string")
      )
        throw new AdminError(400, "zone must be {id: <32 hex>, name}");
      try {
        const a = store.addAccount(body.id, body.name, body.zone ?? null);
        return okBody({ id: a.account.id, name: a.account.name, zones: a.zones }, 201);
      } catch (e) {
        throw new AdminError(409, (e as Error).message);
      }
    }
    case "GET ratelimit":
      return okBody({
        enabled: store.realism.rateLimit,
        max: store.realism.rateLimitMax,
        windowMs: store.realism.rateLimitWindowMs,
        windows: limiter.status(),
      });
    case "DELETE ratelimit":
      limiter.reset();
      return okBody({ ok: true });
    case "GET state":
      return okBody(s);
    case "PUT state":
      try {
        store.replace(body as EmulatorState);
      } catch (e) {
        throw new AdminError(400, (e as Error).message);
      }
      return okBody({ ok: true });
    case "POST reset":
      store.reset();
      return okBody({ ok: true });
    case "GET requests":
      return okBody(log.entries());
    case "DELETE requests":
      log.clear();
      return okBody({ ok: true });
    case "GET faults":
      return okBody(faults.list());
    case "POST faults":
      try {
        for (const r of list(body)) faults.add(r as unknown as FaultRule);
      } catch (e) {
        throw new AdminError(400, (e as Error).message);
      }
      return okBody(faults.list(), 201);
    case "DELETE faults":
      faults.clear();
      return okBody({ ok: true });
    case "GET revocations":
      return okBody(s.access.revocations);
    case "GET access_requests":
      return okBody(s.access.requests);
    case "POST access_requests": {
      const added = list(body).map(seedAccessRequest);
      s.access.requests.push(...added);
      acc.save();
      return okBody(added, 201);
    }
    case "DELETE access_requests":
      s.access.requests = [];
      acc.save();
      return okBody({ ok: true });
    case "GET registrations":
      return okBody(s.devices.registrations);
    case "POST registrations": {
      const added = list(body).map(seedRegistration);
      s.devices.registrations.push(...added);
      acc.save();
      return okBody(added, 201);
    }
    case "DELETE registrations":
      s.devices.registrations = [];
      acc.save();
      return okBody({ ok: true });
    case "GET devices":
      return okBody(physicalDevices({ store: acc }));
    case "POST devices": {
      const added: Obj[] = [];
      list(body).forEach(checkDevice);
      // One at a time, so a serial listed twice in one call lands on one device.
      list(body).forEach((e, i) => {
        const reg = seedDevice(s, e, i);
        s.devices.registrations.push(reg);
        added.push(reg);
      });
      acc.save();
      return okBody(added, 201);
    }
    case "GET logpush": {
      // GET /__admin/logpush/challenges[?destination_conf=...]
      if (seg[1] !== "challenges") break;
      const dest = query.get("destination_conf");
      if (!dest)
        return okBody(Object.entries(s.logpush.challenges).map(([d, c]) => ({ destination_conf: d, ...c })));
      const ch = need(s.logpush.challenges[dest], `challenge for ${dest}`);
      return okBody({ destination_conf: dest, ...ch });
    }
    case "PUT tunnels": {
      // PUT /__admin/tunnels/<id>/status {status, connectors?}
      if (seg[2] !== "status" || !seg[1]) break;
      const t = need(
        s.tunnels.items.find((x) => x.id === seg[1]),
        `tunnel ${seg[1]}`,
      );
      if (!isObj(body) || !TUNNEL_STATUSES.includes(body.status))
        throw new AdminError(400, `status must be one of ${TUNNEL_STATUSES.join(", ")}`);
      const now = acc.now();
      const connectors = seedConnectors(body.connectors, body.status, now);
      const wasActive = (s.tunnels.connectors[t.id] ?? []).some((c) => c.conns.length);
      const isActive = connectors.some((c) => c.conns.length);
      s.tunnels.connectors[t.id] = connectors;
      t.status = body.status;
      if (isActive && !wasActive) t.conns_active_at = now;
      if (!isActive && wasActive) t.conns_inactive_at = now;
      acc.save();
      return okBody({ status: t.status, connectors });
    }
    case "GET resources":
    case "PATCH resources":
    case "PUT resources":
    case "DELETE resources":
      return resources(acc, method, seg.slice(1), body);
  }
  throw new AdminError(404, `no admin route ${method} ${path}`);
}
