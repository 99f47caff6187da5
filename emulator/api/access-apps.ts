// accounts|zones/{id}/access/apps — cloudflare_zero_trust_access_application.
//
// Echo rules, from the provider source (TF zero_trust_access_application): PUT-full.
// Read overwrites all attributes, then normalizations.go forgives a few false/[]
// values and keeps nulls of expanded policy fields. Computed-optional defaults are
// exactly those plan_modifiers.go puts in the plan when unset: session_duration
// "24h", http_only_cookie_attribute true, app_launcher_visible true (by app type),
// skip_app_launcher_login_page false (app_launcher only), plus
// self_hosted_domains/destinations derived from the domain. Nothing else is invented.
// With realism (`sdk_inputs`), `policies` may hold policy ids as strings, as SDK
// 7.3.0 ApplicationCreateParams allows (`Array<AccessAppPolicyLink | string | ...>`).
import { type Obj, hex, notFound, ok, publicView, stripNulls, uuid } from "../http";
import { paginate } from "../paging";
import { type Ctx, type Router, scopeOf } from "../router";
import { Checker, isHostname, objectBody } from "../validate";
import { CODE, replaceInPlace } from "./access-common";
import { ruleErrors } from "./access-rules";
import { policyView } from "./access-policies";

const APP_TYPES = [
  "self_hosted",
  "saas",
  "ssh",
  "vnc",
  "app_launcher",
  "warp",
  "biso",
  "bookmark",
  "dash_sso",
  "infrastructure",
  "rdp",
  "mcp",
  "mcp_portal",
  "proxy_endpoint",
];
// The type lists of TF zero_trust_access_application/plan_modifiers.go.
const SELF_HOSTED = ["self_hosted", "ssh", "vnc", "rdp", "mcp_portal"];
const APP_LAUNCHER_VISIBLE = ["self_hosted", "ssh", "vnc", "rdp", "saas", "bookmark"];
const SESSION_DURATION = [
  "saas",
  "dash_sso",
  "self_hosted",
  "ssh",
  "vnc",
  "rdp",
  "app_launcher",
  "warp",
  "mcp_portal",
  "mcp",
  "proxy_endpoint",
];
const NEEDS_NAME = [
  "self_hosted",
  "saas",
  "ssh",
  "vnc",
  "rdp",
  "bookmark",
  "infrastructure",
  "mcp",
  "mcp_portal",
];

/** SDK inputs: a policy given as its id string is the link `{id}`. */
function normalizePolicies(ctx: Ctx, body: Obj): Obj {
  if (!ctx.realism.sdkInputs || !Array.isArray(body.policies)) return body;
  return { ...body, policies: body.policies.map((p: unknown) => (typeof p === "string" ? { id: p } : p)) };
}

function validateApp(ctx: Ctx, body: Obj, selfId?: string): void {
  const c = new Checker(body, CODE)
    .required("type")
    .oneOf("type", APP_TYPES)
    .string("name", "domain", "session_duration")
    .boolean(
      "app_launcher_visible",
      "http_only_cookie_attribute",
      "auto_redirect_to_identity",
      "enable_binding_cookie",
    )
    .array("policies", "allowed_idps", "self_hosted_domains", "destinations", "tags")
    .duration("session_duration");
  const type = body.type as string;
  if (NEEDS_NAME.includes(type)) c.required("name");
  if (SELF_HOSTED.includes(type)) {
    const hasDest = Array.isArray(body.destinations) && body.destinations.length > 0;
    const hasDomains = Array.isArray(body.self_hosted_domains) && body.self_hosted_domains.length > 0;
    c.check(
      !!body.domain || hasDest || hasDomains,
      "domain or destinations is required for self_hosted applications",
    );
    if (typeof body.domain === "string")
      c.check(isHostname(body.domain.split("/")[0]), "domain is not a valid hostname");
    const domain = derivedDomain(body);
    const clash = ctx.store.data.access.apps.find((a) => a.id !== selfId && domain && a.domain === domain);
    c.check(!clash, `An application with domain ${domain} already exists`);
  }
  if (Array.isArray(body.policies)) {
    const seen = new Set<number>();
    body.policies.forEach((p: unknown, i: number) => {
      const at = `policies[${i}]`;
      if (typeof p !== "object" || p === null) return c.error(`${at} must be an object`);
      const pol = p as Obj;
      if (pol.precedence !== undefined && pol.precedence !== null) {
        if (!Number.isInteger(pol.precedence) || pol.precedence < 1)
          c.error(`${at}.precedence must be a positive integer`);
        else if (seen.has(pol.precedence)) c.error(`${at}.precedence ${pol.precedence} is used twice`);
        else seen.add(pol.precedence);
      }
      if (pol.id !== undefined && pol.id !== null) {
        if (!ctx.store.data.access.policies.some((x) => x.id === pol.id))
          c.error(`${at}.id: policy ${String(pol.id)} not found`);
      } else {
        // A legacy inline policy: validated like a reusable one.
        if (!pol.decision) c.error(`${at}.decision is required`);
        ruleErrors(ctx.store, `${at}.include`, pol.include, true).forEach((m) => c.error(m));
      }
    });
  }
  c.done();
}

function derivedDomain(body: Obj): string | undefined {
  if (typeof body.domain === "string" && body.domain) return body.domain;
  const pub = (body.destinations ?? []).find((d: Obj) => (d.type ?? "public") === "public" && d.uri);
  if (pub) return pub.uri;
  return body.self_hosted_domains?.[0];
}

function buildApp(ctx: Ctx, body: Obj, prev?: Obj): Obj {
  const now = ctx.store.now();
  const s = scopeOf(ctx);
  const app: Obj = {
    ...stripNulls(body),
    id: prev?.id ?? uuid(),
    aud: prev?.aud ?? hex(32),
    created_at: prev?.created_at ?? now,
    updated_at: now,
    _scope: `${s.kind}/${s.id}`,
  };
  const type = app.type as string;
  if (SELF_HOSTED.includes(type)) {
    // The API ties domain, self_hosted_domains and destinations together.
    const domain = derivedDomain(app)!;
    app.domain = domain;
    if (!Array.isArray(app.destinations) || app.destinations.length === 0) {
      const hosts: string[] =
        Array.isArray(app.self_hosted_domains) && app.self_hosted_domains.length
          ? app.self_hosted_domains
          : [domain];
      app.destinations = hosts.map((uri) => ({ type: "public", uri }));
    } else {
      app.destinations = app.destinations.map((d: Obj) => ({ type: "public", ...d }));
    }
    if (!Array.isArray(app.self_hosted_domains) || app.self_hosted_domains.length === 0) {
      app.self_hosted_domains = app.destinations
        .filter((d: Obj) => d.type === "public" && d.uri)
        .map((d: Obj) => d.uri);
    }
  }
  if (SESSION_DURATION.includes(type)) app.session_duration ??= "24h";
  if ([...SELF_HOSTED, "mcp"].includes(type)) app.http_only_cookie_attribute ??= true;
  if (APP_LAUNCHER_VISIBLE.includes(type)) app.app_launcher_visible ??= true;
  if (type === "app_launcher") app.skip_app_launcher_login_page ??= false;
  // Cloudflare answers attached policies ordered by precedence.
  if (Array.isArray(app.policies)) {
    app.policies = app.policies
      .map((p: Obj, i: number) => ({ ...p, precedence: p.precedence ?? i + 1 }))
      .sort((a: Obj, b: Obj) => a.precedence - b.precedence);
  } else {
    app.policies = [];
  }
  return app;
}

/** Expand reusable policy references the way the API does; the provider keeps
 * nulls from state for the expanded fields (normalizeZeroTrustApplicationPolicyAPIData). */
function appView(ctx: Ctx, app: Obj): Obj {
  const out = publicView(app);
  out.policies = (app.policies as Obj[]).map((ref) => {
    if (!ref.id) return { ...ref };
    const pol = ctx.store.data.access.policies.find((p) => p.id === ref.id);
    return pol ? { ...policyView(ctx, pol), precedence: ref.precedence } : { ...ref };
  });
  return out;
}

function findApp(ctx: Ctx): Obj {
  const s = scopeOf(ctx);
  const app = ctx.store.data.access.apps.find(
    (a) => a.id === ctx.params.id && a._scope === `${s.kind}/${s.id}`,
  );
  if (!app) notFound(12130, "access.api.error.not_found: application not found");
  return app;
}

export function registerAccessApps(r: Router): void {
  for (const base of ["/accounts/:account", "/zones/:zone"]) {
    r.get(`${base}/access/apps`, (ctx) => {
      const s = scopeOf(ctx);
      const apps = ctx.store.data.access.apps
        .filter((a) => a._scope === `${s.kind}/${s.id}`)
        .map((a) => appView(ctx, a));
      return paginate(apps, ctx.query, { perPage: 25, maxPerPage: 1000 });
    });
    r.post(`${base}/access/apps`, (ctx) => {
      const body = normalizePolicies(ctx, objectBody(ctx.body, CODE));
      validateApp(ctx, body);
      const app = buildApp(ctx, body);
      ctx.store.data.access.apps.push(app);
      return { status: 201, result: appView(ctx, app) };
    });
    r.get(`${base}/access/apps/:id`, (ctx) => ok(appView(ctx, findApp(ctx))));
    r.put(`${base}/access/apps/:id`, (ctx) => {
      const prev = findApp(ctx);
      const body = normalizePolicies(ctx, objectBody(ctx.body, CODE));
      validateApp(ctx, body, prev.id);
      return ok(appView(ctx, replaceInPlace(prev, buildApp(ctx, body, prev))));
    });
    r.delete(`${base}/access/apps/:id`, (ctx) => {
      const app = findApp(ctx);
      ctx.store.data.access.apps = ctx.store.data.access.apps.filter((a) => a !== app);
      return ok({ id: app.id });
    });
    r.post(`${base}/access/apps/:id/revoke_tokens`, (ctx) => {
      findApp(ctx);
      return ok(null);
    });
  }
}
