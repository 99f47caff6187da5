import { StackInfo, Users } from "../context";
import { applicationCheck, policyCheck, sessionsCheck } from "./access-checks";
import {
  connectorCheck,
  fallbackCheck,
  localDomainCheck,
  proxyCheck,
  routesCheck,
  splitTunnelCheck,
  tunnelCheck,
} from "./network-checks";
import { deviceCheck, emailListsCheck, userCheck } from "./people-checks";
import { groupCheck, portalAppCheck, portalUserCheck, tokensCheck } from "./portal-checks";
import { CheckResult, Focus, Inventory } from "./types";

// The checklist, in the runbook's order: pure functions of the stack, users.yaml and the inventory.

export function runChecks(
  stack: StackInfo,
  users: Users,
  inv: Inventory,
  focus: Focus = {},
  now: Date = new Date(),
): CheckResult[] {
  const apply = stack.name === "local" ? "npm run up" : `npm run up -- --stack ${stack.name}`;
  const portal = users.state.portal;
  // Portal mode (groups declared): per group and app instead of the one shared policy and email list.
  if (portal)
    return [
      tunnelCheck(stack, inv),
      routesCheck(stack, inv, apply),
      connectorCheck(stack, inv.docker, inv.dns),
      ...stack.config.apps.map((app) => portalAppCheck(app, portal, inv, apply)),
      ...(focus.email
        ? [portalUserCheck(focus.email.toLowerCase(), portal, users, inv, apply)]
        : portal.groups.map((g) => groupCheck(portal, g, users, inv, apply))),
      tokensCheck(stack, portal, inv, now),
      deviceCheck(focus, users, inv, apply),
      fallbackCheck(stack, inv, apply),
      splitTunnelCheck(stack, inv, apply),
      proxyCheck(inv, apply),
      sessionsCheck(stack, users, inv, apply),
      localDomainCheck(stack, inv),
    ];
  return [
    tunnelCheck(stack, inv),
    routesCheck(stack, inv, apply),
    connectorCheck(stack, inv.docker, inv.dns),
    ...stack.config.apps.map((app) => applicationCheck(app.hostname, app.name, inv, apply)),
    policyCheck(inv, apply),
    focus.email
      ? userCheck(focus.email.toLowerCase(), users, inv, apply)
      : emailListsCheck(users, inv, apply),
    deviceCheck(focus, users, inv, apply),
    fallbackCheck(stack, inv, apply),
    splitTunnelCheck(stack, inv, apply),
    proxyCheck(inv, apply),
    sessionsCheck(stack, users, inv, apply),
    localDomainCheck(stack, inv),
  ];
}
