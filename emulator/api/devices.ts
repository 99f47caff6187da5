// accounts/{a}/devices/policy (default profile), .../policy/fallback_domains
// and .../devices/settings.
//
// - default profile (TF zero_trust_device_default_profile): Create PATCHes the
//   whole plan, Update PATCHes only the diff (MarshalForPatch) or does a GET
//   when nothing changed, because an empty PATCH is a 400. The twelve fields
//   with schema defaults are always sent and echoed. include/exclude are
//   ordered; sending one switches split-tunnel mode and drops the other, as
//   the dashboard does. fallback_domains is computed: it mirrors the LDF list.
// - local domain fallback (…_local_domain_fallback): PUT a bare array, GET
//   returns it in order; delete makes no call, so nothing is restored.
// - device settings: with realism (`device_settings`) GET answers the whole
//   documented object (the nine fields of SDK 7.3.0 DeviceSettings, unset ones at
//   their defaults: false, 0, ""), PUT replaces it (fields left out go back to
//   their defaults; HTTP PUT semantics, the docs only say "Updates"), PATCH merges.
//   With `device_settings=off`: GET returns exactly the last PUT (the provider's
//   fields are Optional-only, so defaults there read as a diff).
import { ApiError, type Obj, fail, isObj, ok, stripNulls } from "../http";
import { seedState } from "../state";
import type { Ctx, Router } from "../router";
import { Checker, isHostname, isIpOrCidr, objectBody } from "../validate";

const CODE = 2000; // device policy validation errors

function splitTunnelErrors(field: string, list: unknown): string[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return [`${field} must be an array`];
  const errs: string[] = [];
  list.forEach((e, i) => {
    if (!isObj(e)) return errs.push(`${field}[${i}] must be an object`);
    const hasAddr = typeof e.address === "string" && e.address !== "";
    const hasHost = typeof e.host === "string" && e.host !== "";
    if (hasAddr === hasHost) return errs.push(`${field}[${i}] needs exactly one of address or host`);
    if (hasAddr && !isIpOrCidr(e.address)) errs.push(`${field}[${i}].address must be an IP address or CIDR`);
    if (hasHost && !isHostname(e.host)) errs.push(`${field}[${i}].host must be a hostname`);
    if (e.description !== undefined && e.description !== null && typeof e.description !== "string")
      errs.push(`${field}[${i}].description must be a string`);
  });
  return errs;
}

function validateProfile(body: Obj): void {
  const c = new Checker(body, CODE)
    .boolean(
      "allow_mode_switch",
      "allow_updates",
      "allowed_to_leave",
      "disable_auto_fallback",
      "exclude_office_ips",
      "register_interface_ip_with_dns",
      "sccm_vpn_boundary_support",
      "switch_locked",
    )
    .number("auto_connect", "captive_portal", "lan_allow_minutes", "lan_allow_subnet_size")
    .string("support_url", "tunnel_protocol")
    .object("service_mode_v2", "global_acceleration", "virtual_networks")
    .array("dns_search_suffixes")
    .oneOf("tunnel_protocol", ["", "wireguard", "masque"]);
  if (typeof body.captive_portal === "number")
    c.check(body.captive_portal >= 0, "captive_portal must be >= 0");
  if (typeof body.auto_connect === "number") c.check(body.auto_connect >= 0, "auto_connect must be >= 0");
  if (isObj(body.service_mode_v2) && body.service_mode_v2.mode !== undefined)
    c.check(
      [
        "warp",
        "1dot1",
        "proxy",
        "posture_only",
        "warp_tunnel_only",
        "tunnel_only",
        "proxy_endpoint",
      ].includes(body.service_mode_v2.mode),
      "service_mode_v2.mode is not a valid mode",
    );
  const inc = Array.isArray(body.include) && body.include.length > 0;
  const exc = Array.isArray(body.exclude) && body.exclude.length > 0;
  c.check(
    !(inc && exc),
    "include and exclude cannot both be set: a profile is either in include or in exclude mode",
  );
  splitTunnelErrors("include", body.include).forEach((m) => c.error(m));
  splitTunnelErrors("exclude", body.exclude).forEach((m) => c.error(m));
  c.done();
}

function profileView(ctx: Ctx): Obj {
  return { ...ctx.store.data.devices.profile, fallback_domains: ctx.store.data.devices.fallbackDomains };
}

function validateDomains(body: unknown): Obj[] {
  if (!Array.isArray(body)) fail(400, CODE, "request body must be an array of fallback domains");
  const errs: string[] = [];
  const seen = new Set<string>();
  body.forEach((d, i) => {
    if (!isObj(d)) return errs.push(`[${i}] must be an object`);
    if (typeof d.suffix !== "string" || !d.suffix) return errs.push(`[${i}].suffix is required`);
    if (seen.has(d.suffix)) errs.push(`[${i}].suffix ${d.suffix} is listed twice`);
    seen.add(d.suffix);
    if (d.description !== undefined && d.description !== null && typeof d.description !== "string")
      errs.push(`[${i}].description must be a string`);
    if (d.description && d.description.length > 100)
      errs.push(`[${i}].description must be at most 100 characters`);
    if (d.dns_server !== undefined && d.dns_server !== null) {
      if (
        !Array.isArray(d.dns_server) ||
        d.dns_server.some((s: unknown) => !isIpOrCidr(s) || String(s).includes("/"))
      )
        errs.push(`[${i}].dns_server must be a list of IP addresses`);
    }
  });
  if (errs.length)
    throw new ApiError(
      400,
      errs.map((message) => ({ code: CODE, message })),
    );
  return stripNulls(body) as Obj[];
}

/** Defaults of every documented device setting (values are a guess: false/0/"", except none is documented). */
export const DEVICE_SETTINGS_DEFAULTS: Readonly<Obj> = Object.freeze({
  disable_for_time: 0,
  external_emergency_signal_enabled: false,
  external_emergency_signal_fingerprint: "",
  external_emergency_signal_interval: "",
  external_emergency_signal_url: "",
  gateway_proxy_enabled: false,
  gateway_udp_proxy_enabled: false,
  root_certificate_installation_enabled: false,
  use_zt_virtual_ip: false,
});

function settingsView(ctx: Ctx): Obj {
  const s = ctx.store.data.devices.settings;
  if (!ctx.realism.deviceSettings) return s;
  const out: Obj = {};
  for (const k of Object.keys(DEVICE_SETTINGS_DEFAULTS)) out[k] = s[k] ?? DEVICE_SETTINGS_DEFAULTS[k];
  return out;
}

/** With sdkInputs, only documented fields are kept (unknown ones are ignored, never echoed). */
function knownSettings(ctx: Ctx, body: Obj): Obj {
  if (!ctx.realism.sdkInputs) return body;
  return Object.fromEntries(Object.entries(body).filter(([k]) => k in DEVICE_SETTINGS_DEFAULTS));
}

const SETTINGS_BOOLS = [
  "gateway_proxy_enabled",
  "gateway_udp_proxy_enabled",
  "root_certificate_installation_enabled",
  "use_zt_virtual_ip",
  "external_emergency_signal_enabled",
];

function validateSettings(body: Obj): void {
  new Checker(body, CODE)
    .boolean(...SETTINGS_BOOLS)
    .number("disable_for_time")
    .string(
      "external_emergency_signal_fingerprint",
      "external_emergency_signal_interval",
      "external_emergency_signal_url",
    )
    .done();
}

export function registerDevices(r: Router): void {
  const a = "/accounts/:account/devices";

  r.get(`${a}/policy`, (ctx) => ok(profileView(ctx)));
  r.patch(`${a}/policy`, (ctx) => {
    const body = objectBody(ctx.body, CODE);
    if (Object.keys(body).length === 0) fail(400, CODE, "request body must not be empty");
    validateProfile(body);
    const p = ctx.store.data.devices.profile;
    for (const [k, v] of Object.entries(body)) {
      if (["default", "enabled", "gateway_unique_id", "policy_id", "fallback_domains"].includes(k)) continue; // read-only
      if (v === null) delete p[k];
      else p[k] = stripNulls(v);
    }
    if (Array.isArray(body.include) && body.include.length) delete p.exclude;
    if (Array.isArray(body.exclude) && body.exclude.length) delete p.include;
    return ok(profileView(ctx));
  });

  r.get(`${a}/policy/fallback_domains`, (ctx) => ok(ctx.store.data.devices.fallbackDomains));
  r.put(`${a}/policy/fallback_domains`, (ctx) => {
    ctx.store.data.devices.fallbackDomains = validateDomains(ctx.body);
    return ok(ctx.store.data.devices.fallbackDomains);
  });

  r.get(`${a}/settings`, (ctx) => ok(settingsView(ctx)));
  r.put(`${a}/settings`, (ctx) => {
    const body = knownSettings(ctx, objectBody(ctx.body, CODE));
    validateSettings(body);
    ctx.store.data.devices.settings = stripNulls(body);
    return ok(settingsView(ctx));
  });
  r.patch(`${a}/settings`, (ctx) => {
    const body = knownSettings(ctx, objectBody(ctx.body, CODE));
    validateSettings(body);
    const s = ctx.store.data.devices.settings;
    for (const [k, v] of Object.entries(body))
      if (v === null) delete s[k];
      else s[k] = v;
    return ok(settingsView(ctx));
  });
  // DELETE resets the settings to the account defaults and returns them.
  r.delete(`${a}/settings`, (ctx) => {
    ctx.store.data.devices.settings = seedState().devices.settings;
    return ok(settingsView(ctx));
  });
}
