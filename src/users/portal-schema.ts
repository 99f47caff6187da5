import { z } from "zod";
import { LOGIN_METHODS } from "../model/portal";

// The portal-mode keys of users.yaml (docs/design-portal.md): groups, access, serviceTokens, tests.
// Every one is optional; declaring `groups:` turns portal mode on. Cross-references (a group named in
// `allow`, a token in `serviceTokens`, a test's user) are checked by the rules (src/users/portal-rules.ts),
// where the whole file is known and a did-you-mean can be offered.

/** Group, token and app-key names end up in Cloudflare object names: keep them to one safe alphabet. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** A Go duration as Cloudflare's service-token `duration` takes it (hours and minutes), or "forever". */
export const TOKEN_DURATION_PATTERN = /^(forever|[1-9][0-9]{0,5}h([0-9]{1,5}m)?|[1-9][0-9]{0,6}m)$/;
export const DEFAULT_TOKEN_DURATION = "8760h";
/** Cloudflare's account limit (developers.cloudflare.com/cloudflare-one/account-limits). */
export const MAX_SERVICE_TOKENS = 50;

const named = (what: string, example: string) =>
  z.string({ error: `${what} must be a name such as ${example}` }).regex(NAME_PATTERN, {
    error: `${what} must be lower-case letters, digits and '-' (at most 63, starting with a letter or digit), e.g. ${example}`,
  });

/** `devices: none` on an access entry means nobody: a group cannot be called that. */
export const NO_DEVICES = "none";
export const groupName = named("a group name", "staff");
export const tokenName = named("a service token name", "ci-deploy");
export const appKey = named("an application key", "client-acme");

export const groupSchema = z.strictObject(
  {
    login: z
      .enum(LOGIN_METHODS, {
        error:
          "login must be idp (the identity providers in zt:identityProviders) or otp (one-time PIN by email)",
      })
      .describe("How members sign in: idp (company identity provider) or otp (one-time PIN by email)."),
  },
  { error: "a group must be a mapping such as `staff: { login: idp }`" },
);

export const groupsSchema = z
  .record(groupName, groupSchema, {
    error: "groups must be a mapping of group name to settings, e.g. `groups: { staff: { login: idp } }`",
  })
  .describe("Audiences. Declaring groups turns on per-application access (see access).");

export const accessEntrySchema = z.strictObject(
  {
    allow: z
      .array(groupName, { error: "allow must be a list of group names, e.g. `allow: [staff, acme]`" })
      .optional()
      .describe("Groups whose members may reach the application."),
    devices: z
      .union([groupName, z.array(groupName)], {
        error: "devices must be none, one group or a list of groups from allow, e.g. `devices: [staff]`",
      })
      .optional()
      .describe(
        "Groups that must pass the device check: omitted = every allowed group, none = nobody, a group or a list.",
      ),
    serviceTokens: z
      .array(tokenName, { error: "serviceTokens must be a list of token names, e.g. `[ci-deploy]`" })
      .optional()
      .describe("Service tokens that may reach the application (Service Auth)."),
  },
  { error: "an access entry must be a mapping such as `portal: { allow: [staff] }`" },
);

export const accessSchema = z
  .record(appKey, accessEntrySchema, {
    error:
      "access must be a mapping of application key to who may reach it, e.g. `portal: { allow: [staff] }`",
  })
  .describe("Application key (zt:apps[].key, default the hostname's first label) -> who may reach it.");

export const serviceTokenSchema = z.strictObject(
  {
    name: tokenName.describe("Token name; the Cloudflare object is named `zt-gitops <name>`."),
    duration: z
      .string({ error: "duration must be text such as 8760h" })
      .regex(TOKEN_DURATION_PATTERN, {
        error: 'duration must be hours or minutes such as 8760h, 720h or 90m, or "forever"',
      })
      .optional()
      .describe("How long a secret is valid (default 8760h, one year), e.g. 720h; or forever."),
  },
  { error: "a service token must be a mapping such as `- name: ci-deploy`" },
);

export const accessTestSchema = z.strictObject(
  {
    user: z
      .email({ error: "user must be the email of a user in this file" })
      .optional()
      .describe("The user signing in (one of users)."),
    device: z
      .string({ error: "device must be the serial of one of the user's devices" })
      .optional()
      .describe("Serial of the device the user connects from; leave out for no managed device."),
    login: z
      .enum(LOGIN_METHODS, { error: "login must be idp or otp" })
      .optional()
      .describe("How the user signs in; leave out for any login their groups allow."),
    serviceToken: tokenName.optional().describe("The service token presented (instead of a user)."),
    app: appKey.describe("The application key (see access)."),
    expect: z.enum(["allow", "deny"], { error: "expect must be allow or deny" }),
  },
  { error: "a test must be a mapping such as `- { user: alice@example.org, app: portal, expect: allow }`" },
);

export const portalFileShape = {
  groups: groupsSchema.optional(),
  access: accessSchema.optional(),
  serviceTokens: z
    .array(serviceTokenSchema, { error: "serviceTokens must be a list, e.g. `- name: ci-deploy`" })
    .optional()
    .describe("Service tokens for automation (CI), each with a Service Auth policy on its apps."),
  tests: z
    .array(accessTestSchema, { error: "tests must be a list of access tests" })
    .optional()
    .describe("Access tests, evaluated on the model before anything is applied."),
};
