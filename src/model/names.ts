import { Os } from "../users/schema";

// The names the components give the Cloudflare resources, in one place: components/*.ts declare them
// and the zt commands (which have no Pulumi state) find the resources by them.
// tests/commands/names.test.ts runs the program under Pulumi's mocks and checks the declared names.

export const EMAIL_LIST_PREFIX = "zt-gitops users ";
export const emailListName = (index: number) => `${EMAIL_LIST_PREFIX}${index + 1}`;
export const serialListName = (os: Os, index: number) => `zt-gitops ${os} serials ${index + 1}`;
export const postureRuleName = (os: Os, index: number) => `zt-gitops registered ${os} device ${index + 1}`;
export const POSTURE_RULE_PATTERN = /^zt-gitops registered (macos|windows|linux) device (\d+)$/;
export const DEVICE_GROUP_NAME = "zt-gitops registered devices";
export const POLICY_NAME = "zt-gitops allow registered users on registered devices";

// Several audiences (docs/design-portal.md): portal-mode objects.
export const GROUP_LIST_PREFIX = "zt-gitops group ";
/** Lists of one group start with this (the group's name, then the list's number). */
export const groupListPrefix = (group: string) => `${GROUP_LIST_PREFIX}${group} `;
export const groupListName = (group: string, index: number) => `${groupListPrefix(group)}${index + 1}`;
export const groupPolicyName = (group: string, devices: boolean) =>
  devices ? `zt-gitops ${group} on registered devices` : `zt-gitops ${group}`;
export const serviceTokenName = (token: string) => `zt-gitops ${token}`;
export const SERVICE_TOKEN_PATTERN = /^zt-gitops (.+)$/;
export const serviceAuthPolicyName = (appKey: string) => `zt-gitops ${appKey} service tokens`;
/** A rule group standing for several identity providers (a policy's `require` is all-of). */
export const loginGroupName = (login: "idp" | "otp") =>
  `zt-gitops sign-in through ${login === "idp" ? "identity providers" : "one-time PIN"}`;
