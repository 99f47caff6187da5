import { AppConfig } from "../config/schema";
import { IdentityProviderConfig } from "../config/portal-config";
import { groupLists, GroupListSpec } from "./access";
import { groupPolicyName, serviceAuthPolicyName } from "./names";
import { LoginMethod, PortalState } from "./portal";

// Portal mode (docs/design-portal.md): which reusable policies exist and which application uses which,
// in plain data. The components (components/audiences.ts, components/access.ts) declare exactly this,
// and src/model/objects.ts lists the same names for the collision guard.

/** Name given to the one-time PIN provider a `login: otp` group needs when the config lists none. */
export const DEFAULT_OTP_NAME = "One-time PIN";

/** The identity providers to declare: the config's, plus one-time PIN when a group needs it. */
export function identityProviders(
  configured: readonly IdentityProviderConfig[],
  portal: PortalState | undefined,
): IdentityProviderConfig[] {
  const needsOtp = portal?.groups.some((g) => g.login === "otp") ?? false;
  const hasOtp = configured.some((p) => p.type === "onetimepin");
  return needsOtp && !hasOtp
    ? [...configured, { name: DEFAULT_OTP_NAME, type: "onetimepin" }]
    : [...configured];
}

/** The IdP names a login method stands for: otp the one-time PIN provider, idp every other one. */
export function providersFor(login: LoginMethod, idps: readonly IdentityProviderConfig[]): string[] {
  return idps.filter((p) => (login === "otp") === (p.type === "onetimepin")).map((p) => p.name);
}

/** The app key: zt:apps[].key, default the hostname's first label. */
export const appKey = (app: Pick<AppConfig, "hostname"> & { key?: string }) =>
  app.key ?? app.hostname.split(".")[0];

export interface GroupPolicySpec {
  group: string;
  devices: boolean;
  name: string;
  /** Resource name suffix: "staff-devices", "acme". */
  key: string;
  login: LoginMethod;
  /** Keys of the group's lists (GroupListSpec.key) the policy includes. */
  lists: string[];
}

export interface ServiceAuthSpec {
  app: string;
  name: string;
  tokens: string[];
}

export interface AppAccessSpec {
  app: string;
  /** Service Auth first (Access evaluates it before Allow anyway; the order says so too), then groups in file order. */
  policies: Array<{ kind: "serviceAuth"; app: string } | { kind: "group"; key: string }>;
  /** The login methods of the app's groups, as IdP names. */
  allowedIdps: string[];
}

export interface AudienceSpecs {
  lists: GroupListSpec[];
  groupPolicies: GroupPolicySpec[];
  serviceAuth: ServiceAuthSpec[];
  apps: AppAccessSpec[];
  /** Login methods backed by several providers: a rule group (any-of) stands for them in `require`. */
  loginGroups: LoginMethod[];
}

export function audienceSpecs(portal: PortalState, idps: readonly IdentityProviderConfig[]): AudienceSpecs {
  const lists = groupLists(portal);
  const group = new Map(portal.groups.map((g) => [g.name, g]));
  const policies = new Map<string, GroupPolicySpec>();
  const apps: AppAccessSpec[] = [];
  const serviceAuth: ServiceAuthSpec[] = [];
  for (const a of portal.access) {
    const refs: AppAccessSpec["policies"] = [];
    if (a.serviceTokens.length > 0) {
      serviceAuth.push({ app: a.app, name: serviceAuthPolicyName(a.app), tokens: [...a.serviceTokens] });
      refs.push({ kind: "serviceAuth", app: a.app });
    }
    const logins = new Set<LoginMethod>();
    for (const name of a.allow) {
      const g = group.get(name);
      if (!g) continue; // refused by the parser's reference check; never declared half-built
      logins.add(g.login);
      const devices = a.devices.includes(name);
      const key = devices ? `${name}-devices` : name;
      const own = lists.filter((l) => l.group === name).map((l) => l.key);
      // A group whose members have all expired has no list: a policy including nothing is refused by
      // Cloudflare, and it would admit nobody anyway.
      if (own.length === 0) continue;
      if (!policies.has(key))
        policies.set(key, {
          group: name,
          devices,
          name: groupPolicyName(name, devices),
          key,
          login: g.login,
          lists: own,
        });
      refs.push({ kind: "group", key });
    }
    const allowedIdps = [...logins].flatMap((l) => providersFor(l, idps));
    apps.push({ app: a.app, policies: refs, allowedIdps });
  }
  const used = new Set([...policies.values()].map((p) => p.login));
  const loginGroups = [...used].filter((l) => providersFor(l, idps).length > 1);
  return { lists, groupPolicies: [...policies.values()], serviceAuth, apps, loginGroups };
}
