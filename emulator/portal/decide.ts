// POST /__admin/access/decide: the Access decision for one request, computed from the
// emulator's stored objects (apps -> policies -> rules -> groups / lists / posture rules /
// devices / identity providers / service tokens). Order of enforcement, as Cloudflare
// documents it: Bypass and Service Auth policies first, then Allow and Block, each in
// precedence order; the first policy that matches decides; nothing matching is a deny.
// With strict service token authentication (on, and not switchable, for organizations
// created since 2026-10-05), a request carrying a service token is decided by Service
// Auth (and Bypass) policies only. Contract and sources: FIDELITY-portal.md.
import { AdminError } from "../admin-types";
import { type Obj, isObj } from "../http";
import type { AccountStore as Store } from "../state";
import { Unsupported, type Subject, evalSet } from "./rules";
import { checkServiceToken } from "./service-tokens";
import { portal } from "./state";

export interface DecideRequest {
  /** Hostname (optionally with a path) the request goes to, e.g. "portal.example.com". */
  app?: string;
  /** Or the application's id. */
  appId?: string;
  identity?: { email: string; loginMethod?: string; groups?: string[] };
  device?: { serial: string };
  serviceToken?: { client_id: string; client_secret: string };
  /** Evaluate at this time (RFC 3339) instead of now: token expiry, grace periods. */
  at?: string;
}

export interface PolicyTrace {
  id?: string;
  name?: string;
  precedence: number;
  action: string;
  matched: boolean;
  why: string;
}

export interface Decision {
  decision: "allow" | "deny";
  /** The deciding policy's action (allow, deny, bypass, non_identity); null when none decided. */
  action: string | null;
  policy: { id?: string; name?: string; precedence: number; reusable: boolean } | null;
  app: { id: string; name?: string; domain?: string };
  reason: string;
  evaluated: PolicyTrace[];
}

const bad = (msg: string): never => {
  throw new AdminError(400, msg);
};

function uris(app: Obj): string[] {
  const out = new Set<string>();
  if (typeof app.domain === "string") out.add(app.domain);
  for (const d of app.self_hosted_domains ?? []) out.add(d);
  for (const d of app.destinations ?? []) if ((d.type ?? "public") === "public" && d.uri) out.add(d.uri);
  return [...out];
}

/** Does `uri` (host[/path], host may be *.wildcard) cover `target` (host[/path])? */
function covers(uri: string, target: string): boolean {
  const [uHost, ...uPath] = uri.toLowerCase().split("/");
  const [tHost, ...tPath] = target.toLowerCase().split("/");
  const hostOk = uHost.startsWith("*.")
    ? tHost.endsWith(uHost.slice(1)) && !tHost.slice(0, -uHost.length + 1).includes(".")
    : uHost === tHost;
  const up = uPath.join("/");
  const tp = tPath.join("/");
  return hostOk && (!up || tp === up || tp.startsWith(`${up}/`));
}

function findApp(store: Store, req: DecideRequest): Obj {
  const apps = store.data.access.apps;
  if (req.appId)
    return apps.find((a) => a.id === req.appId) ?? bad(`no Access application has id ${req.appId}`);
  const target = String(req.app).replace(/^https?:\/\//, "");
  // Most specific first: the longest matching destination wins.
  const hits = apps
    .flatMap((a) => uris(a).map((u) => ({ a, u })))
    .filter((x) => covers(x.u, target))
    .sort((x, y) => y.u.length - x.u.length);
  if (!hits.length) throw new AdminError(404, `no Access application covers ${target}`);
  return hits[0].a;
}

/** The app's policies with reusable ones expanded, ordered by precedence. */
function policiesOf(store: Store, app: Obj): Array<Obj & { precedence: number; reusable: boolean }> {
  return (app.policies ?? [])
    .map((ref: Obj, i: number) => {
      const pol = ref.id ? store.data.access.policies.find((p) => p.id === ref.id) : ref;
      if (!pol) throw new AdminError(409, `app ${app.name} refers to policy ${ref.id}, which does not exist`);
      return { ...pol, precedence: ref.precedence ?? pol.precedence ?? i + 1, reusable: !!ref.id };
    })
    .sort((a: Obj, b: Obj) => a.precedence - b.precedence);
}

function checkBody(body: unknown): DecideRequest {
  if (!isObj(body)) bad("body must be a JSON object");
  const b = body as Obj;
  if (!b.app === !b.appId) bad('give exactly one of "app" (a hostname) or "appId"');
  if (b.identity !== undefined) {
    if (!isObj(b.identity) || typeof b.identity.email !== "string" || !b.identity.email.includes("@"))
      bad("identity.email must be an email address");
    if (b.identity.groups !== undefined && !Array.isArray(b.identity.groups))
      bad("identity.groups must be an array");
  }
  if (b.device !== undefined && (!isObj(b.device) || typeof b.device.serial !== "string" || !b.device.serial))
    bad("device.serial is required when device is given");
  if (b.serviceToken !== undefined) {
    const t = b.serviceToken;
    if (!isObj(t) || typeof t.client_id !== "string" || typeof t.client_secret !== "string")
      bad("serviceToken needs client_id and client_secret (the CF-Access-Client-Id/-Secret headers)");
  }
  if (b.at !== undefined && Number.isNaN(Date.parse(b.at))) bad("at must be an RFC 3339 timestamp");
  if (!b.identity && !b.serviceToken) bad("give an identity, a serviceToken, or both");
  return b as DecideRequest;
}

/** Which identity provider did the user sign in with? Error when the request is ambiguous. */
function loginIdp(store: Store, app: Obj, method: string | undefined): { idp?: Obj; denial?: string } {
  const scope = app._scope ?? `accounts/${store.data.account.id}`;
  const idps = portal(store).identityProviders.filter((p) => p._scope === scope);
  if (!idps.length) return { denial: "the account has no identity provider, so nobody can sign in" };
  let idp: Obj | undefined;
  if (method === undefined) {
    if (idps.length > 1)
      bad(`identity.loginMethod is required: the account has ${idps.length} identity providers`);
    idp = idps[0];
  } else {
    idp = idps.find((p) => p.id === method);
    if (!idp) {
      const ofType = idps.filter((p) => p.type === method);
      if (ofType.length > 1)
        bad(`identity.loginMethod ${method}: ${ofType.length} providers of that type; give an id`);
      idp = ofType[0];
    }
    if (!idp)
      return { denial: `no identity provider ${method} in the account, so the user cannot sign in with it` };
  }
  const allowed: string[] = app.allowed_idps ?? [];
  if (allowed.length && !allowed.includes(idp.id))
    return { idp, denial: `application ${app.name} does not offer login method ${idp.name} (${idp.type})` };
  return { idp };
}

export function decide(store: Store, body: unknown): Decision {
  const req = checkBody(body);
  const app = findApp(store, req);
  const s = store.data;
  const now = req.at ? Date.parse(req.at) : Date.now();
  const policies = policiesOf(store, app);
  const evaluated: PolicyTrace[] = [];
  const appOut = { id: app.id, name: app.name, domain: app.domain };
  const out = (decision: "allow" | "deny", reason: string, pol?: Obj): Decision => ({
    decision,
    action: pol?.decision ?? null,
    policy: pol ? { id: pol.id, name: pol.name, precedence: pol.precedence, reusable: pol.reusable } : null,
    app: appOut,
    reason,
    evaluated,
  });
  const run = (pol: Obj, sub: Subject): boolean => {
    try {
      const v = evalSet(s, sub, pol);
      evaluated.push({
        id: pol.id,
        name: pol.name,
        precedence: pol.precedence,
        action: pol.decision,
        ...v,
        matched: v.match,
      });
      return v.match;
    } catch (e) {
      if (e instanceof Unsupported) throw new AdminError(422, `policy ${pol.name}: ${e.message}`);
      throw e;
    }
  };

  let token: Obj | undefined;
  let tokenProblem: string | undefined;
  if (req.serviceToken) {
    const scope = app._scope ?? `accounts/${s.account.id}`;
    const tokens = portal(store).serviceTokens.filter((t) => t._scope === scope);
    const r = checkServiceToken(tokens, req.serviceToken.client_id, req.serviceToken.client_secret, now);
    token = r.reason ? undefined : r.token;
    tokenProblem = r.reason;
  }
  const device = req.device?.serial;
  const identity: Subject = req.identity
    ? { email: req.identity.email, groups: req.identity.groups, deviceSerial: device }
    : {};

  // Phase 1: Bypass and Service Auth, neither of which consults an identity: Bypass "does not
  // support identity-based rule types" (Cloudflare docs), Service Auth skips the IdP login.
  for (const pol of policies.filter((p) => p.decision === "bypass" || p.decision === "non_identity")) {
    if (run(pol, { token, deviceSerial: device }))
      return out(
        "allow",
        `${pol.decision === "bypass" ? "Bypass" : "Service Auth"} policy ${pol.name} matched`,
        pol,
      );
  }
  const strict = s.access.organization?.strict_service_token_auth !== false;
  if (req.serviceToken && (strict || !req.identity))
    return out(
      "deny",
      tokenProblem ??
        `no Service Auth policy of ${app.name} accepts service token ${token?.name ?? ""}`.trim(),
    );
  if (!req.identity) return out("deny", "no identity");

  // Phase 2: Allow and Block, for a signed-in user.
  const login = loginIdp(store, app, req.identity.loginMethod);
  if (login.denial) return out("deny", login.denial);
  const sub: Subject = { ...identity, idpId: login.idp?.id, token: strict ? undefined : token };
  for (const pol of policies.filter((p) => p.decision === "allow" || p.decision === "deny")) {
    if (run(pol, sub))
      return out(
        pol.decision === "allow" ? "allow" : "deny",
        `${pol.decision === "allow" ? "Allow" : "Block"} policy ${pol.name} matched`,
        pol,
      );
  }
  return out(
    "deny",
    policies.length ? "no policy matched (Access denies by default)" : `${app.name} has no policies`,
  );
}
