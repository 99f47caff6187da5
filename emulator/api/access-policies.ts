// accounts/{a}/access/policies — cloudflare_zero_trust_access_policy (reusable policies).
//
// Echo rules (TF zero_trust_access_policy): session_duration is Optional-only in
// schema.go of this release, so it is echoed only when sent; include/exclude/
// require answer [] when unset (normalizeReadZeroTrustAccessPolicyAPIData).
// app_count is live: how many applications reference the policy right now.
import { type Obj, fail, notFound, ok, publicView, stripNulls, uuid } from "../http";
import { paginate } from "../paging";
import type { Ctx, Router } from "../router";
import { Checker, objectBody } from "../validate";
import { CODE, replaceInPlace } from "./access-common";
import { ruleErrors } from "./access-rules";

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
export function policyView(ctx: Ctx, pol: Obj): Obj {
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

export function registerAccessPolicies(r: Router): void {
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
}
