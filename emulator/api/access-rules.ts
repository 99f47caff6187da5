// Access rule validation shared by groups, policies and inline app policies.
// A rule is an object with exactly one selector, e.g. {"email":{"email":"a@b.c"}}
// or {"everyone":{}}. The selector names are the JSON tags of
// TF zero_trust_access_group/model.go (ZeroTrustAccessGroupIncludeModel).
import { type Obj, isObj } from "../http";
import type { AccountStore as Store } from "../state";
import { isEmail, isIpOrCidr } from "../validate";

export const SELECTORS = [
  "group",
  "any_valid_service_token",
  "auth_context",
  "auth_method",
  "azureAD",
  "certificate",
  "common_name",
  "geo",
  "device_posture",
  "email_domain",
  "email_list",
  "email",
  "everyone",
  "external_evaluation",
  "github-organization",
  "gsuite",
  "login_method",
  "ip_list",
  "ip",
  "okta",
  "saml",
  "oidc",
  "service_token",
  "linked_app_token",
  "user_risk_score",
  "cloudflare_account_member",
] as const;

/** Problems with one list of rules (`include`, `exclude` or `require`), as messages. */
export function ruleErrors(store: Store, field: string, rules: unknown, requiredNonEmpty: boolean): string[] {
  if (rules === undefined || rules === null) return requiredNonEmpty ? [`${field} is required`] : [];
  if (!Array.isArray(rules)) return [`${field} must be an array`];
  if (requiredNonEmpty && rules.length === 0) return [`${field} must contain at least one rule`];
  const errs: string[] = [];
  rules.forEach((rule, i) => {
    const at = `${field}[${i}]`;
    if (!isObj(rule)) return errs.push(`${at} must be an object`);
    const keys = Object.keys(rule).filter((k) => rule[k] !== null && rule[k] !== undefined);
    if (keys.length !== 1) return errs.push(`${at} must have exactly one selector, got ${keys.length}`);
    const [sel] = keys;
    const v = rule[sel];
    if (!(SELECTORS as readonly string[]).includes(sel)) return errs.push(`${at}: unknown selector ${sel}`);
    if (!isObj(v)) return errs.push(`${at}.${sel} must be an object`);
    errs.push(...selectorErrors(store, `${at}.${sel}`, sel, v));
  });
  return errs;
}

function selectorErrors(store: Store, at: string, sel: string, v: Obj): string[] {
  const list = (id: unknown, type: string): string[] => {
    const l = store.data.lists.find((x) => x.id === id);
    if (!l) return [`${at}.id: list ${String(id)} not found`];
    return l.type === type ? [] : [`${at}.id: list ${String(id)} is a ${l.type} list, expected ${type}`];
  };
  switch (sel) {
    case "email":
      return isEmail(v.email) ? [] : [`${at}.email must be an email address`];
    case "email_domain":
      return typeof v.domain === "string" && v.domain ? [] : [`${at}.domain is required`];
    case "email_list":
      return list(v.id, "EMAIL");
    case "ip_list":
      return list(v.id, "IP");
    case "ip":
      return isIpOrCidr(v.ip) ? [] : [`${at}.ip must be an IP address or CIDR`];
    case "device_posture":
      return store.data.devices.posture.some((p) => p.id === v.integration_uid)
        ? []
        : [`${at}.integration_uid: posture rule ${String(v.integration_uid)} not found`];
    case "group":
      return store.data.access.groups.some((g) => g.id === v.id)
        ? []
        : [`${at}.id: access group ${String(v.id)} not found`];
    case "everyone":
    case "certificate":
    case "any_valid_service_token":
      return [];
    default:
      return [];
  }
}
