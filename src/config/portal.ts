import { z } from "zod";

// Stack settings for several audiences (docs/design-portal.md, "Stack config"): the identity providers
// and the seat count. Client secrets are not here: they live in the secret key
// zt:identityProviderSecrets (IdP name -> client secret), which the program reads as a Pulumi secret.

export const IDP_TYPES = ["google-apps", "okta", "azureAD", "github", "onetimepin"] as const;
export type IdpType = (typeof IDP_TYPES)[number];

export const identityProviderSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(100)
    .describe("Name shown on the login page; the provider's name in Cloudflare."),
  type: z.enum(IDP_TYPES, { error: `type must be one of ${IDP_TYPES.join(", ")}` }),
  clientId: z.string().min(1).optional(),
  appsDomain: z.string().min(1).optional().describe("google-apps: the Workspace domain."),
  oktaAccount: z.url().optional().describe("okta: https://<org>.okta.com"),
  directoryId: z.string().min(1).optional().describe("azureAD: the Entra tenant (directory) id."),
});

export type IdentityProviderConfig = z.infer<typeof identityProviderSchema>;

export const APP_KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;
