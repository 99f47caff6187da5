// One Access rule set (include / require / exclude) evaluated against one request, the way
// Cloudflare documents it (FIDELITY-portal.md, "Access decisions"): a set matches when ANY
// include rule matches, ALL require rules match and NO exclude rule matches. Access groups
// are the same three lists, evaluated recursively. A selector the emulator cannot evaluate
// (country, IP, certificates, ...) is an error, never a silent "no match": an exclude that
// silently failed to match would let a request through.
import type { Obj } from "../http";
import type { EmulatorState } from "../state";

/** Who is asking. Identity fields are absent for a non-identity (service token) request. */
export interface Subject {
  email?: string;
  /** Id of the identity provider the user signed in with. */
  idpId?: string;
  /** IdP groups (Google group emails, Okta group names, Entra group ids, GitHub orgs). */
  groups?: string[];
  /** Serial number of the device the request comes from. */
  deviceSerial?: string;
  /** The service token whose id and secret were presented and are valid now. */
  token?: Obj;
}

export class Unsupported extends Error {}

export interface Verdict {
  match: boolean;
  why: string;
}

const lc = (s: unknown) => String(s ?? "").toLowerCase();

function label(o: Obj | undefined, id: unknown): string {
  return o?.name ? `'${o.name}'` : String(id);
}

/** Is the device enrolled (a live WARP registration with this serial, of this user)? */
function enrolled(s: EmulatorState, sub: Subject): Obj | undefined {
  return s.devices.registrations.find(
    (r) =>
      !r.revoked_at &&
      !r.deleted_at &&
      lc(r.device?.serial_number) === lc(sub.deviceSerial) &&
      (!sub.email || lc(r.user?.email) === lc(sub.email)),
  );
}

function posture(s: EmulatorState, sub: Subject, uid: unknown): Verdict {
  const rule = s.devices.posture.find((p) => p.id === uid);
  if (!rule) return { match: false, why: `device posture rule ${String(uid)} does not exist` };
  const name = label(rule, uid);
  if (!sub.deviceSerial)
    return { match: false, why: `device posture ${name}: the request comes from no device` };
  if (!enrolled(s, sub))
    return {
      match: false,
      why: `device posture ${name}: device ${sub.deviceSerial} is not enrolled in WARP${sub.email ? ` for ${sub.email}` : ""}`,
    };
  if (rule.type === "warp")
    return { match: true, why: `device posture ${name}: device ${sub.deviceSerial} runs WARP` };
  if (rule.type !== "serial_number")
    throw new Unsupported(`device posture type ${rule.type} (rule ${name}) is not evaluated by the emulator`);
  const list = s.lists.find((l) => l.id === rule.input?.id);
  const hit = (list?.items ?? []).some((i: Obj) => lc(i.value) === lc(sub.deviceSerial));
  return {
    match: hit,
    why: `device posture ${name}: serial ${sub.deviceSerial} ${hit ? "is" : "is not"} in list ${label(list, rule.input?.id)}`,
  };
}

/** IdP group selectors: the value must be one of the identity's groups from that IdP. */
function idpGroup(sub: Subject, sel: string, v: Obj, key: string): Verdict {
  const want = v[key];
  if (!sub.email) return { match: false, why: `${sel}: no identity` };
  const sameIdp = !v.identity_provider_id || v.identity_provider_id === sub.idpId;
  const hit = sameIdp && (sub.groups ?? []).some((g) => lc(g) === lc(want));
  return { match: hit, why: `${sel} ${want}: ${hit ? "member" : "not a member"}` };
}

export function evalRule(s: EmulatorState, sub: Subject, rule: Obj, seen: Set<string>): Verdict {
  const sel = Object.keys(rule).find((k) => rule[k] !== null && rule[k] !== undefined);
  const v: Obj = sel ? rule[sel] : {};
  const email = lc(sub.email);
  switch (sel) {
    case "everyone":
      return { match: true, why: "everyone" };
    case "email": {
      const hit = !!sub.email && email === lc(v.email);
      return { match: hit, why: `email ${v.email}${hit ? "" : ` (is ${sub.email ?? "no identity"})`}` };
    }
    case "email_domain": {
      const domain = lc(v.domain).replace(/^@/, "");
      const hit = !!sub.email && email.endsWith(`@${domain}`);
      return { match: hit, why: `email domain ${domain}` };
    }
    case "email_list": {
      const list = s.lists.find((l) => l.id === v.id);
      if (!list) return { match: false, why: `email list ${String(v.id)} does not exist` };
      const hit = !!sub.email && (list.items ?? []).some((i: Obj) => lc(i.value) === email);
      return {
        match: hit,
        why: `${sub.email ?? "no identity"} ${hit ? "is" : "is not"} in email list ${label(list, v.id)}`,
      };
    }
    case "group": {
      const g = s.access.groups.find((x) => x.id === v.id);
      if (!g) return { match: false, why: `access group ${String(v.id)} does not exist` };
      if (seen.has(g.id)) return { match: false, why: `access group ${label(g, g.id)} refers to itself` };
      const inner = evalSet(s, sub, g, new Set([...seen, g.id]));
      return { match: inner.match, why: `group ${label(g, g.id)} (${inner.why})` };
    }
    case "device_posture":
      return posture(s, sub, v.integration_uid);
    case "login_method": {
      const hit = !!sub.idpId && sub.idpId === v.id;
      const idp = s.portal?.identityProviders.find((p) => p.id === v.id);
      return { match: hit, why: `login method ${idp ? `${idp.name} (${idp.type})` : String(v.id)}` };
    }
    case "service_token": {
      const hit = !!sub.token && sub.token.id === v.token_id;
      const t = s.portal?.serviceTokens.find((x) => x.id === v.token_id);
      return { match: hit, why: `service token ${label(t, v.token_id)}` };
    }
    case "any_valid_service_token":
      return { match: !!sub.token, why: "any valid service token" };
    case "gsuite":
      return idpGroup(sub, sel, v, "email");
    case "okta":
    case "github-organization":
      return idpGroup(sub, sel, v, "name");
    case "azureAD":
      return idpGroup(sub, sel, v, "id");
    default:
      throw new Unsupported(`selector ${sel ?? "(none)"} is not evaluated by the emulator`);
  }
}

const list = (x: unknown): Obj[] => (Array.isArray(x) ? (x as Obj[]) : []);

/** include any-of, require all-of, exclude none-of. */
export function evalSet(s: EmulatorState, sub: Subject, set: Obj, seen = new Set<string>()): Verdict {
  const include = list(set.include).map((r) => evalRule(s, sub, r, seen));
  const require = list(set.require).map((r) => evalRule(s, sub, r, seen));
  const exclude = list(set.exclude).map((r) => evalRule(s, sub, r, seen));
  const inc = include.find((x) => x.match);
  if (!inc)
    return {
      match: false,
      why: `no include rule matched: ${include.map((x) => x.why).join("; ") || "none set"}`,
    };
  const missing = require.find((x) => !x.match);
  if (missing) return { match: false, why: `require failed: ${missing.why}` };
  const ex = exclude.find((x) => x.match);
  if (ex) return { match: false, why: `excluded: ${ex.why}` };
  const parts = [`include: ${inc.why}`];
  if (require.length) parts.push(`require: ${require.map((x) => x.why).join("; ")}`);
  return { match: true, why: parts.join("; ") };
}
