// {accounts|zones}/{id}/access/organizations (+ revoke_user)
// — cloudflare_zero_trust_organization (TF zero_trust_organization).
//
// The provider never POSTs: Create and Update both PUT the full plan
// (MarshalForUpdate) and Read uses the list GET, whose result is one object.
// So PUT must upsert. The five bools with schema defaults (allow_authenticate_
// via_warp, auto_redirect_to_identity, is_ui_read_only, mfa_required_for_all_apps,
// warp_auth_non_browser_401) are always sent and echoed as sent; every other
// field is Optional-only and answered only when set.
import { type Obj, fail, ok, stripNulls } from "../http";
import type { Ctx, Router } from "../router";
import { Checker, isEmail, objectBody } from "../validate";

const CODE = 12130;

function validate(body: Obj, creating: boolean): void {
  const c = new Checker(body, CODE)
    .string(
      "name",
      "auth_domain",
      "session_duration",
      "warp_auth_session_duration",
      "user_seat_expiration_inactive_time",
      "ui_read_only_toggle_reason",
    )
    .boolean(
      "allow_authenticate_via_warp",
      "auto_redirect_to_identity",
      "is_ui_read_only",
      "mfa_required_for_all_apps",
      "warp_auth_non_browser_401",
      "deny_unmatched_requests",
    )
    .object("login_design", "custom_pages", "mfa_config")
    .duration("session_duration", "warp_auth_session_duration", "user_seat_expiration_inactive_time");
  if (creating) c.required("name", "auth_domain");
  if (typeof body.auth_domain === "string")
    c.check(
      /^[a-z0-9]([a-z0-9-]*[a-z0-9])?\.cloudflareaccess\.com$/.test(body.auth_domain),
      "auth_domain must be <team-name>.cloudflareaccess.com",
    );
  c.done();
}

function view(org: Obj): Obj {
  return { ...org };
}

function upsert(ctx: Ctx): Obj {
  const body = objectBody(ctx.body, CODE);
  const prev = ctx.store.data.access.organization;
  validate(body, !prev);
  const now = ctx.store.now();
  const org = { ...stripNulls(body), created_at: prev?.created_at ?? now, updated_at: now };
  ctx.store.data.access.organization = org;
  return org;
}

export function registerOrganization(r: Router): void {
  for (const base of ["/accounts/:account", "/zones/:zone"]) {
    r.get(`${base}/access/organizations`, (ctx) => {
      const org = ctx.store.data.access.organization;
      if (!org) fail(404, CODE, "access.api.error.not_found: organization not found");
      return ok(view(org));
    });
    r.post(`${base}/access/organizations`, (ctx) => {
      if (ctx.store.data.access.organization)
        fail(409, CODE, "access.api.error.conflict: organization already exists");
      return { status: 201, result: view(upsert(ctx)) };
    });
    r.put(`${base}/access/organizations`, (ctx) => ok(view(upsert(ctx))));

    // Revoke all Access sessions of one user (and, with devices, their WARP sessions).
    // The result is a bare boolean, as in cloudflare-go organization.go.
    r.post(`${base}/access/organizations/revoke_user`, (ctx) => {
      const body = objectBody(ctx.body, CODE);
      new Checker(body, CODE)
        .required("email")
        .string("email", "user_uid")
        .boolean("devices", "warp_session_reauth")
        .done();
      if (!isEmail(body.email)) fail(400, CODE, "email must be an email address");
      const devices = body.devices === true || ctx.query.get("devices") === "true";
      const now = ctx.store.now();
      const email = String(body.email).toLowerCase();
      const revokedRegistrations: string[] = [];
      if (devices) {
        for (const reg of ctx.store.data.devices.registrations) {
          if (String(reg.user?.email ?? "").toLowerCase() === email && !reg.revoked_at) {
            reg.revoked_at = now;
            reg.updated_at = now;
            revokedRegistrations.push(reg.id);
          }
        }
      }
      ctx.store.data.access.revocations.push({
        email,
        user_uid: body.user_uid ?? null,
        devices,
        warp_session_reauth: body.warp_session_reauth ?? null,
        revoked_registrations: revokedRegistrations,
        at: now,
      });
      return ok(true);
    });
  }
}
