import { AppConfig, StackConfig } from "../config/schema";
import { emailLists, EmailListSpec, GroupListSpec, serialLists, SerialListSpec } from "./access";
import { audienceSpecs, identityProviders } from "./audiences";
import { DesiredState } from "./desired";
import {
  DEVICE_GROUP_NAME,
  emailListName,
  groupListName,
  loginGroupName,
  POLICY_NAME,
  postureRuleName,
  serialListName,
  serviceTokenName,
} from "./names";

// The Cloudflare objects the program declares that carry a name Cloudflare can hold twice (or a hostname
// an application claims): their display names and Pulumi resource names, in one place. The components
// build their resources from these (display names from ./names, shared with the zt commands), and the collision guard and the pending-create repair
// (src/converge) look for the same names in the account, so the two never disagree.

/** Component names given in src/program.ts; they prefix the resource names below. */
export const COMPONENT = {
  tunnel: "tunnel",
  access: "access",
  posture: "posture",
  /** Portal mode: a child of the Access component (components/access.ts names it so). */
  audiences: "access-audiences",
  identityProviders: "identity-providers",
  serviceTokens: "service-tokens",
} as const;

/** Pulumi type tokens of the bridged resources (checked against @pulumi/cloudflare in a unit test). */
export const TYPE = {
  tunnel: "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared",
  application: "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication",
  policy: "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy",
  group: "cloudflare:index/zeroTrustAccessGroup:ZeroTrustAccessGroup",
  list: "cloudflare:index/zeroTrustList:ZeroTrustList",
  postureRule: "cloudflare:index/zeroTrustDevicePostureRule:ZeroTrustDevicePostureRule",
  identityProvider: "cloudflare:index/zeroTrustAccessIdentityProvider:ZeroTrustAccessIdentityProvider",
  serviceToken: "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken",
} as const;

export type ObjectKind = keyof typeof TYPE;

/** In the admin's words, for messages. */
export const KIND_LABEL: Record<ObjectKind, string> = {
  tunnel: "tunnel",
  application: "Access application",
  policy: "reusable Access policy",
  group: "Access group",
  list: "Zero Trust list",
  postureRule: "device posture rule",
  identityProvider: "identity provider",
  serviceToken: "service token",
};

/** Pulumi resource names, given the component's name. */
export const RESOURCE = {
  tunnel: (component: string) => component,
  emailList: (component: string, spec: EmailListSpec) => `${component}-emails-${spec.key}`,
  devicesGroup: (component: string) => `${component}-registered-devices`,
  allowPolicy: (component: string) => `${component}-allow`,
  application: (component: string, app: Pick<AppConfig, "hostname">) => `${component}-app-${app.hostname}`,
  serialList: (component: string, spec: SerialListSpec) => `${component}-serials-${spec.key}`,
  postureRule: (component: string, spec: SerialListSpec) => `${component}-${spec.key}`,
  groupList: (component: string, spec: GroupListSpec) => `${component}-group-${spec.key}`,
  groupPolicy: (component: string, key: string) => `${component}-policy-${key}`,
  serviceAuthPolicy: (component: string, app: string) => `${component}-service-auth-${app}`,
  loginGroup: (component: string, login: string) => `${component}-login-${login}`,
  identityProvider: (component: string, name: string) => `${component}-${name}`,
  serviceToken: (component: string, name: string) => `${component}-${name}`,
};

export interface PlannedObject {
  kind: ObjectKind;
  /** Pulumi type token. */
  type: string;
  /** Pulumi resource name (the URN's last segment). */
  resource: string;
  /** Name in Cloudflare. */
  name: string;
  /** Applications: the hostname they protect (Cloudflare's `domain`). */
  domain?: string;
  /** Identity providers: the type (one-time PIN is matched by type, not name). */
  idpType?: string;
}

/** Every named object the program declares for this config and users.yaml. */
export function plannedObjects(config: StackConfig, desired: DesiredState): PlannedObject[] {
  const o = (kind: ObjectKind, resource: string, name: string, domain?: string): PlannedObject => ({
    kind,
    type: TYPE[kind],
    resource,
    name,
    ...(domain ? { domain } : {}),
  });
  const { tunnel, access, posture } = COMPONENT;
  const portal = desired.portal;
  const idps = identityProviders(config.identityProviders, portal);
  const specs = portal ? audienceSpecs(portal, idps) : undefined;
  const { audiences, identityProviders: idp, serviceTokens: tok } = COMPONENT;
  return [
    o("tunnel", RESOURCE.tunnel(tunnel), config.tunnelName),
    ...serialLists(desired).flatMap((s) => [
      o("list", RESOURCE.serialList(posture, s), serialListName(s.os, s.index)),
      o("postureRule", RESOURCE.postureRule(posture, s), postureRuleName(s.os, s.index)),
    ]),
    ...idps.map((p) => ({
      ...o("identityProvider", RESOURCE.identityProvider(idp, p.name), p.name),
      idpType: p.type,
    })),
    ...(portal?.serviceTokens ?? []).map((t) =>
      o("serviceToken", RESOURCE.serviceToken(tok, t.name), serviceTokenName(t.name)),
    ),
    ...(specs
      ? []
      : emailLists(desired).map((e) => o("list", RESOURCE.emailList(access, e), emailListName(e.index)))),
    o("group", RESOURCE.devicesGroup(access), DEVICE_GROUP_NAME),
    ...(specs
      ? [
          ...specs.lists.map((l) =>
            o("list", RESOURCE.groupList(audiences, l), groupListName(l.group, l.index)),
          ),
          ...specs.loginGroups.map((l) => o("group", RESOURCE.loginGroup(audiences, l), loginGroupName(l))),
          ...specs.groupPolicies.map((p) => o("policy", RESOURCE.groupPolicy(audiences, p.key), p.name)),
          ...specs.serviceAuth.map((s) => o("policy", RESOURCE.serviceAuthPolicy(audiences, s.app), s.name)),
        ]
      : [o("policy", RESOURCE.allowPolicy(access), POLICY_NAME)]),
    ...config.apps.map((a) => o("application", RESOURCE.application(access, a), a.name, a.hostname)),
  ];
}
