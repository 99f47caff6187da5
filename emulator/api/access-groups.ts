// accounts|zones/{id}/access/groups — cloudflare_zero_trust_access_group.
//
// Echo rules (TF zero_trust_access_group): include is an ordered list, echoed in
// order; exclude/require answer [] when unset (normalizeEmptyAndNullSlice).
import { type Obj, notFound, ok, publicView, stripNulls, uuid } from "../http";
import { paginate } from "../paging";
import { type Ctx, type Router, scopeOf } from "../router";
import { Checker, objectBody } from "../validate";
import { CODE, replaceInPlace } from "./access-common";
import { ruleErrors } from "./access-rules";

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

export function registerAccessGroups(r: Router): void {
  for (const base of ["/accounts/:account", "/zones/:zone"]) {
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
}
