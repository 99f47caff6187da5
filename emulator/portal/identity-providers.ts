// {accounts|zones}/{id}/access/identity_providers — cloudflare_zero_trust_access_identity_provider.
//
// Shape (FIDELITY-portal.md, "Identity providers"): {id, uid (= id), name, type, config,
// version, scim_config?}, as in cf-terraforming's recordings. config echoes what was sent,
// plus the computed redirect_url, and NEVER config.client_secret: Cloudflare omits it on
// reads (the recorded azureAD/github providers show client_id but no secret; the provider's
// normalizeReadZeroTrustIDPConfigData copies the secret back from state only when the API
// answers it null, and its import test ignores config.client_secret "cant import").
// The secret is stored only as a SHA-256 digest. A fresh account has no identity
// provider in the emulator (one-time PIN is not on by default: see FIDELITY-portal.md).
import { type Obj, fail, hex, isObj, notFound, ok, stripNulls, uuid } from "../http";
import { paginate } from "../paging";
import { type Ctx, type Router, scopeOf } from "../router";
import { Checker, objectBody } from "../validate";
import { digest, portal } from "./state";

const CODE = 12130; // Access: access.api.error.invalid_request

/** The provider schema's type enum (schema.go, stringvalidator.OneOfCaseInsensitive). */
export const IDP_TYPES = [
  "onetimepin",
  "azureAD",
  "saml",
  "centrify",
  "facebook",
  "github",
  "google-apps",
  "google",
  "linkedin",
  "oidc",
  "okta",
  "onelogin",
  "pingone",
  "yandex",
  "cloudflare",
];
// OAuth-style types: Cloudflare's per-IdP docs configure each with a client id and secret.
const OAUTH = [
  "azureAD",
  "github",
  "google-apps",
  "google",
  "okta",
  "oidc",
  "facebook",
  "linkedin",
  "yandex",
  "centrify",
  "onelogin",
  "pingone",
];
// The account field each IdP's docs "Example API configuration" carries (guess: the
// emulator requires it because the login flow cannot work without it).
const ACCOUNT_FIELD: Record<string, string> = {
  okta: "okta_account",
  azureAD: "directory_id",
  "google-apps": "apps_domain",
};
/** Cloudflare's account limit (developers.cloudflare.com/cloudflare-one/account-limits: 50 IdPs). */
export const MAX_IDENTITY_PROVIDERS = 50;

function validate(ctx: Ctx, body: Obj, prev?: Obj): void {
  const c = new Checker(body, CODE)
    .required("name", "type")
    .string("name", "type")
    .object("config", "scim_config");
  c.required("config");
  if (typeof body.type === "string") {
    c.check(IDP_TYPES.includes(body.type), `type must be one of: ${IDP_TYPES.join(", ")}`);
    if (prev) c.check(body.type === prev.type, "type cannot be changed (create a new identity provider)");
  }
  const cfg: Obj = isObj(body.config) ? body.config : {};
  if (OAUTH.includes(body.type)) {
    c.check(typeof cfg.client_id === "string" && cfg.client_id !== "", "config.client_id is required");
    const hasSecret = typeof cfg.client_secret === "string" && cfg.client_secret !== "";
    c.check(hasSecret || !!prev?._client_secret_sha256, "config.client_secret is required");
  }
  const field = ACCOUNT_FIELD[body.type];
  if (field) c.check(typeof cfg[field] === "string" && cfg[field] !== "", `config.${field} is required`);
  if (body.type === "onetimepin") {
    c.check(
      body.scim_config === undefined || body.scim_config === null,
      "scim_config is not supported for onetimepin",
    );
    const other = portal(ctx.store).identityProviders.find(
      (p) => p.type === "onetimepin" && p.id !== prev?.id && p._scope === scopeKey(ctx),
    );
    c.check(!other, "access.api.error.conflict: a one-time PIN identity provider already exists");
  }
  if (!prev) {
    const count = portal(ctx.store).identityProviders.filter((p) => p._scope === scopeKey(ctx)).length;
    c.check(
      count < MAX_IDENTITY_PROVIDERS,
      `an account can have at most ${MAX_IDENTITY_PROVIDERS} identity providers`,
    );
  }
  c.done();
}

function scopeKey(ctx: Ctx): string {
  const s = scopeOf(ctx);
  return `${s.kind}/${s.id}`;
}

function redirectUrl(ctx: Ctx): string {
  // Team domain of the Zero Trust organization; before one exists the emulator's guess.
  const domain = ctx.store.data.access.organization?.auth_domain ?? "zt-gitops-emulator.cloudflareaccess.com";
  return `https://${domain}/cdn-cgi/access/callback`;
}

function build(ctx: Ctx, body: Obj, prev?: Obj): { idp: Obj; scimSecret?: string } {
  const clean = stripNulls(body);
  const { client_secret, ...config } = (clean.config ?? {}) as Obj;
  const id = prev?.id ?? uuid();
  const idp: Obj = {
    ...clean,
    id,
    uid: id,
    config: { ...config, redirect_url: prev?.config?.redirect_url ?? redirectUrl(ctx) },
    version: hex(16),
    _scope: scopeKey(ctx),
    _client_secret_sha256:
      typeof client_secret === "string" && client_secret
        ? digest(client_secret)
        : prev?._client_secret_sha256,
  };
  delete idp.account_id;
  delete idp.zone_id;
  let scimSecret: string | undefined;
  if (isObj(clean.scim_config)) {
    const was = prev?.scim_config;
    const { secret: _ignored, ...scim } = clean.scim_config as Obj;
    idp.scim_config = {
      enabled: false,
      user_deprovision: false,
      seat_deprovision: false,
      identity_update_behavior: "no_action",
      ...scim,
      scim_base_url: `https://${new URL(idp.config.redirect_url).host}/scim/${id}`,
    };
    // The SCIM secret is generated when SCIM is first enabled and answered only then
    // (provider schema: "It is redacted on subsequent requests").
    if (idp.scim_config.enabled && !was?.enabled) scimSecret = hex(32);
    idp._scim_secret_sha256 = scimSecret ? digest(scimSecret) : prev?._scim_secret_sha256;
  }
  return { idp, scimSecret };
}

/** What GET answers: no `_` bookkeeping, no secrets. */
export function idpView(idp: Obj, scimSecret?: string): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(idp)) if (!k.startsWith("_")) out[k] = v;
  out.config = { ...idp.config };
  if (idp.scim_config)
    out.scim_config = { ...idp.scim_config, ...(scimSecret ? { secret: scimSecret } : {}) };
  return out;
}

function find(ctx: Ctx): Obj {
  const idp = portal(ctx.store).identityProviders.find(
    (p) => p.id === ctx.params.id && p._scope === scopeKey(ctx),
  );
  if (!idp) notFound(CODE, "access.api.error.not_found: identity provider not found");
  return idp;
}

export function registerIdentityProviders(r: Router): void {
  for (const base of ["/accounts/:account", "/zones/:zone"]) {
    const path = `${base}/access/identity_providers`;
    r.get(path, (ctx) => {
      let list = portal(ctx.store).identityProviders.filter((p) => p._scope === scopeKey(ctx));
      const scim = ctx.query.get("scim_enabled");
      if (scim === "true") list = list.filter((p) => p.scim_config?.enabled === true);
      if (scim === "false") list = list.filter((p) => p.scim_config?.enabled !== true);
      // per_page 200 by default: result_info of the recorded list (cf-terraforming v5 testdata).
      return paginate(
        list.map((p) => idpView(p)),
        ctx.query,
        { perPage: 200, maxPerPage: 1000 },
      );
    });
    r.post(path, (ctx) => {
      const body = objectBody(ctx.body, CODE);
      validate(ctx, body);
      const { idp, scimSecret } = build(ctx, body);
      portal(ctx.store).identityProviders.push(idp);
      return { status: 201, result: idpView(idp, scimSecret) };
    });
    r.get(`${path}/:id`, (ctx) => ok(idpView(find(ctx))));
    r.put(`${path}/:id`, (ctx) => {
      const prev = find(ctx);
      if (prev.read_only === true)
        fail(400, CODE, "access.api.error.read_only: this identity provider is read only");
      const body = objectBody(ctx.body, CODE);
      validate(ctx, body, prev);
      const { idp, scimSecret } = build(ctx, body, prev);
      Object.keys(prev).forEach((k) => delete prev[k]);
      Object.assign(prev, idp);
      return ok(idpView(prev, scimSecret));
    });
    r.delete(`${path}/:id`, (ctx) => {
      const idp = find(ctx);
      if (idp.read_only === true)
        fail(400, CODE, "access.api.error.read_only: this identity provider is read only");
      const st = portal(ctx.store);
      st.identityProviders = st.identityProviders.filter((p) => p !== idp);
      return ok({ id: idp.id });
    });
  }
}
