// Access applications, groups, reusable policies and authentication logs.
//
// Echo rules (why GET looks the way it does), from the provider source:
// - apps (TF zero_trust_access_application): PUT-full. Read overwrites all
//   attributes, then normalizations.go forgives a few false/[] values and keeps
//   nulls of expanded policy fields. Computed-optional defaults are exactly those
//   plan_modifiers.go puts in the plan when unset: session_duration "24h",
//   http_only_cookie_attribute true, app_launcher_visible true (by app type),
//   skip_app_launcher_login_page false (app_launcher only), plus
//   self_hosted_domains/destinations derived from the domain. Nothing else is
//   invented.
// - groups (zero_trust_access_group): include is an ordered list, echoed in
//   order; exclude/require answer [] when unset (normalizeEmptyAndNullSlice).
// - policies (zero_trust_access_policy): session_duration is Optional-only in
//   schema.go of this release, so it is echoed only when sent; include/exclude/
//   require answer [] when unset (normalizeReadZeroTrustAccessPolicyAPIData).
import { type Obj, fail, hex, notFound, ok, publicView, stripNulls, uuid } from "../http";
import { paginate } from "../paging";
import { type Ctx, type Router, scopeOf } from "../router";
import { Checker, isHostname, objectBody } from "../validate";
import { ruleErrors } from "./access-rules";

const CODE = 12130; // Cloudflare Access: access.api.error.invalid_request

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

// ---------- applications ----------

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

// ---------- groups ----------

function validateGroup(ctx: Ctx, body: Obj): void {
  const c = new Checker(body, CODE).required("name").string("name").boolean("is_default");
  ruleErrors(ctx.store, "include", body.include, true).forEach((m) => c.error(m));
  ruleErrors(ctx.store, "exclude", body.exclude, false).forEach((m) => c.error(m));
  ruleErrors(ctx.store, "require", body.require, false).forEach((m) => c.error(m));
  c.done();
}

function buildGroup(ctx: Ctx, body: Obj, prev?: Obj): Obj {
  const now = ctx.store.now();
  const s = scopeOf(ctx);
  return {
    ...stripNulls(body),
    exclude: body.exclude ?? [],
    require: body.require ?? [],
    id: prev?.id ?? uuid(),
    created_at: prev?.created_at ?? now,
    updated_at: now,
    _scope: `${s.kind}/${s.id}`,
  };
}

function findGroup(ctx: Ctx): Obj {
  const s = scopeOf(ctx);
  const g = ctx.store.data.access.groups.find(
    (x) => x.id === ctx.params.id && x._scope === `${s.kind}/${s.id}`,
  );
  if (!g) notFound(12130, "access.api.error.not_found: group not found");
  return g;
}

// ---------- reusable policies ----------

function validatePolicy(ctx: Ctx, body: Obj): void {
  const c = new Checker(body, CODE)
    .required("name", "decision")
    .string("name", "session_duration", "purpose_justification_prompt")
    .oneOf("decision", ["allow", "deny", "non_identity", "bypass"])
    .boolean("approval_required", "isolation_required", "purpose_justification_required")
    .array("approval_groups")
    .duration("session_duration");
  ruleErrors(ctx.store, "include", body.include, true).forEach((m) => c.error(m));
  ruleErrors(ctx.store, "exclude", body.exclude, false).forEach((m) => c.error(m));
  ruleErrors(ctx.store, "require", body.require, false).forEach((m) => c.error(m));
  c.done();
}

function buildPolicy(ctx: Ctx, body: Obj, prev?: Obj): Obj {
  const now = ctx.store.now();
  return {
    ...stripNulls(body),
    exclude: body.exclude ?? [],
    require: body.require ?? [],
    id: prev?.id ?? uuid(),
    reusable: true,
    created_at: prev?.created_at ?? now,
    updated_at: now,
  };
}

/** app_count is live: how many applications reference the policy right now. */
function policyView(ctx: Ctx, pol: Obj): Obj {
  const app_count = ctx.store.data.access.apps.filter((a) =>
    (a.policies as Obj[]).some((p) => p.id === pol.id),
  ).length;
  return { ...publicView(pol), app_count };
}

function findPolicy(ctx: Ctx): Obj {
  const p = ctx.store.data.access.policies.find((x) => x.id === ctx.params.id);
  if (!p) notFound(12130, "access.api.error.not_found: policy not found");
  return p;
}

function replaceInPlace(target: Obj, next: Obj): Obj {
  Object.keys(target).forEach((k) => delete target[k]);
  return Object.assign(target, next);
}

// ---------- access request logs ----------

function filterLogs(ctx: Ctx): Obj[] {
  const q = ctx.query;
  const cmp = (value: unknown, want: string, op: string | null, contains = false) => {
    const v = String(value ?? "");
    const hit = contains ? v.toLowerCase().includes(want.toLowerCase()) : v === want;
    return op === "neq" ? !hit : hit;
  };
  let logs = ctx.store.data.access.requests.slice();
  const since = q.get("since");
  const until = q.get("until");
  if (since && Number.isNaN(Date.parse(since))) fail(400, CODE, "since must be an RFC 3339 timestamp");
  if (until && Number.isNaN(Date.parse(until))) fail(400, CODE, "until must be an RFC 3339 timestamp");
  if (since) logs = logs.filter((l) => Date.parse(l.created_at) >= Date.parse(since));
  if (until) logs = logs.filter((l) => Date.parse(l.created_at) <= Date.parse(until));
  const email = q.get("email");
  if (email) {
    const op = q.get("emailOp");
    const contains = q.get("email_exact") !== "true" && op !== "eq";
    logs = logs.filter((l) =>
      cmp(l.user_email, email, op === "contains" ? null : op, contains || op === "contains"),
    );
  }
  for (const [param, field] of [
    ["user_id", "user_id"],
    ["app_uid", "app_uid"],
    ["ray_id", "ray_id"],
    ["country_code", "country"],
    ["allowed", "allowed"],
  ] as const) {
    const want = q.get(param);
    if (want !== null && want !== "") logs = logs.filter((l) => cmp(l[field], want, q.get(`${param}Op`)));
  }
  const direction = q.get("direction") ?? "desc";
  if (!["asc", "desc"].includes(direction)) fail(400, CODE, 'direction must be "asc" or "desc"');
  logs.sort(
    (a, b) =>
      Date.parse(a.created_at) - Date.parse(b.created_at) || String(a.ray_id).localeCompare(String(b.ray_id)),
  );
  if (direction === "desc") logs.reverse();
  const limitRaw = q.get("limit");
  if (limitRaw !== null) {
    const limit = Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1) fail(400, CODE, "limit must be a positive integer");
    logs = logs.slice(0, limit);
  }
  return logs;
}

export function registerAccess(r: Router): void {
  for (const base of ["/accounts/:account", "/zones/:zone"]) {
    // applications
    r.get(`${base}/access/apps`, (ctx) => {
      const s = scopeOf(ctx);
      const apps = ctx.store.data.access.apps
        .filter((a) => a._scope === `${s.kind}/${s.id}`)
        .map((a) => appView(ctx, a));
      return paginate(apps, ctx.query, { perPage: 25, maxPerPage: 1000 });
    });
    r.post(`${base}/access/apps`, (ctx) => {
      const body = objectBody(ctx.body, CODE);
      validateApp(ctx, body);
      const app = buildApp(ctx, body);
      ctx.store.data.access.apps.push(app);
      return { status: 201, result: appView(ctx, app) };
    });
    r.get(`${base}/access/apps/:id`, (ctx) => ok(appView(ctx, findApp(ctx))));
    r.put(`${base}/access/apps/:id`, (ctx) => {
      const prev = findApp(ctx);
      const body = objectBody(ctx.body, CODE);
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

    // groups
    r.get(`${base}/access/groups`, (ctx) => {
      const s = scopeOf(ctx);
      const groups = ctx.store.data.access.groups
        .filter((g) => g._scope === `${s.kind}/${s.id}`)
        .map(publicView);
      return paginate(groups, ctx.query, { perPage: 25, maxPerPage: 1000 });
    });
    r.post(`${base}/access/groups`, (ctx) => {
      const body = objectBody(ctx.body, CODE);
      validateGroup(ctx, body);
      const g = buildGroup(ctx, body);
      ctx.store.data.access.groups.push(g);
      return { status: 201, result: publicView(g) };
    });
    r.get(`${base}/access/groups/:id`, (ctx) => ok(publicView(findGroup(ctx))));
    r.put(`${base}/access/groups/:id`, (ctx) => {
      const prev = findGroup(ctx);
      const body = objectBody(ctx.body, CODE);
      validateGroup(ctx, body);
      return ok(publicView(replaceInPlace(prev, buildGroup(ctx, body, prev))));
    });
    r.delete(`${base}/access/groups/:id`, (ctx) => {
      const g = findGroup(ctx);
      ctx.store.data.access.groups = ctx.store.data.access.groups.filter((x) => x !== g);
      return ok({ id: g.id });
    });
  }

  // reusable policies (account level only)
  r.get("/accounts/:account/access/policies", (ctx) =>
    paginate(
      ctx.store.data.access.policies.map((p) => policyView(ctx, p)),
      ctx.query,
      { perPage: 25, maxPerPage: 1000 },
    ),
  );
  r.post("/accounts/:account/access/policies", (ctx) => {
    const body = objectBody(ctx.body, CODE);
    validatePolicy(ctx, body);
    const p = buildPolicy(ctx, body);
    ctx.store.data.access.policies.push(p);
    return { status: 201, result: policyView(ctx, p) };
  });
  r.get("/accounts/:account/access/policies/:id", (ctx) => ok(policyView(ctx, findPolicy(ctx))));
  r.put("/accounts/:account/access/policies/:id", (ctx) => {
    const prev = findPolicy(ctx);
    const body = objectBody(ctx.body, CODE);
    validatePolicy(ctx, body);
    return ok(policyView(ctx, replaceInPlace(prev, buildPolicy(ctx, body, prev))));
  });
  r.delete("/accounts/:account/access/policies/:id", (ctx) => {
    const p = findPolicy(ctx);
    // Cloudflare refuses to delete a reusable policy still attached to an app.
    if (ctx.store.data.access.apps.some((a) => (a.policies as Obj[]).some((x) => x.id === p.id)))
      fail(
        400,
        CODE,
        "access.api.error.policy_in_use: the policy is still attached to one or more applications",
      );
    ctx.store.data.access.policies = ctx.store.data.access.policies.filter((x) => x !== p);
    return ok({ id: p.id });
  });

  // authentication logs
  r.get("/accounts/:account/access/logs/access_requests", (ctx) => {
    const logs = filterLogs(ctx);
    const q = ctx.query;
    const hasPaging = q.has("page") || q.has("per_page");
    if (!hasPaging)
      return {
        result: logs,
        result_info: { count: logs.length, total_count: logs.length, page: 1, per_page: logs.length },
      };
    return paginate(logs, q, { perPage: 25, maxPerPage: 1000 });
  });
}
