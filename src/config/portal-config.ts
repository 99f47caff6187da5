import { z } from "zod";

// Stack settings of several audiences (docs/design-portal.md): identity providers and seats. The client
// secrets are not here: they are the secret key zt:identityProviderSecrets (SECRET_KEYS), a JSON map of
// identity provider name -> client secret, read by the program as a Pulumi secret.

export const IDP_TYPES = ["google-apps", "okta", "azureAD", "github", "onetimepin"] as const;
export type IdpType = (typeof IDP_TYPES)[number];
/** Cloudflare's account limit (developers.cloudflare.com/cloudflare-one/account-limits). */
export const MAX_IDENTITY_PROVIDERS = 50;
/** Zero Trust seats on the free plan; warn from this share of the seats. */
export const DEFAULT_SEATS = 50;
export const SEATS_WARNING_SHARE = 0.9;

const name = z
  .string()
  .min(1)
  .max(100)
  .describe("Name of the identity provider in Cloudflare (and the key in zt:identityProviderSecrets).");
const clientId = z.string().min(1, { error: "clientId is the OAuth client id the provider issued" });

export const identityProviderSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      name,
      type: z.literal("google-apps"),
      clientId,
      appsDomain: z.string().min(1).describe("The Google Workspace domain, e.g. example.com."),
    }),
    z.strictObject({
      name,
      type: z.literal("okta"),
      clientId,
      oktaAccount: z.url().describe("The Okta organisation URL, e.g. https://example.okta.com."),
    }),
    z.strictObject({
      name,
      type: z.literal("azureAD"),
      clientId,
      directoryId: z.string().min(1).describe("The Microsoft Entra ID directory (tenant) id."),
    }),
    z.strictObject({ name, type: z.literal("github"), clientId }),
    z.strictObject({ name, type: z.literal("onetimepin") }),
  ],
  { error: `type must be one of ${IDP_TYPES.join(", ")}` },
);

export type IdentityProviderConfig = z.infer<typeof identityProviderSchema>;

export const identityProvidersSchema = z
  .array(identityProviderSchema)
  .max(MAX_IDENTITY_PROVIDERS, {
    error: `Cloudflare allows at most ${MAX_IDENTITY_PROVIDERS} identity providers per account`,
  })
  .default([])
  .describe("Identity providers users sign in with (groups with login: idp use the non-OTP ones).");

export const seatsSchema = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe(`Zero Trust seats of the account (the free plan has ${DEFAULT_SEATS}).`);

/** The app key when none is written: the hostname's first label (client-acme.example.com -> client-acme). */
export const defaultAppKey = (hostname: string) => hostname.split(".")[0];

/**
 * The seats the active users are counted against: zt:seats, else the free plan's 50 in portal mode. A
 * file without groups: is counted only against a zt:seats that is set, so a stack that has run with
 * more than 50 users (a paid plan) is not refused after an upgrade of this program.
 */
export function seatsFor(seats: number | undefined, portal: boolean): number | undefined {
  return seats ?? (portal ? DEFAULT_SEATS : undefined);
}
