import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";

export interface OrganizationArgs {
  accountId: string;
  teamName: string;
  /** WARP session, e.g. "24h"; validation guarantees it is not shorter than the app session. */
  warpSessionDuration: string;
}

type OrgInput = Exclude<keyof cloudflare.ZeroTrustOrganizationArgs, "accountId" | "zoneId">;
type ManagedOrgField = "name" | "authDomain" | "allowAuthenticateViaWarp" | "warpAuthSessionDuration";
/**
 * Organization fields the stack leaves to the account. Its PUT replaces the whole object, so an adopted
 * account's values are sent with the first create (src/adopt: the record's `carry`) and then kept.
 */
const UNMANAGED_ORG: Record<Exclude<OrgInput, ManagedOrgField>, true> = {
  autoRedirectToIdentity: true,
  customPages: true,
  denyUnmatchedRequests: true,
  denyUnmatchedRequestsExemptedZoneNames: true,
  isUiReadOnly: true,
  loginDesign: true,
  mfaConfig: true,
  mfaConfigurationAllowed: true,
  mfaRequiredForAllApps: true,
  mfaSshPivKeyRequirements: true,
  sessionDuration: true,
  uiReadOnlyToggleReason: true,
  userSeatExpirationInactiveTime: true,
  warpAuthNonBrowser401: true,
};
export const UNMANAGED_ORGANIZATION_FIELDS = Object.keys(UNMANAGED_ORG) as OrgInput[];

/** The Zero Trust organization: team domain and the WARP session length. */
export class Organization extends pulumi.ComponentResource {
  constructor(name: string, args: OrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:Organization", name, {}, opts);
    new cloudflare.ZeroTrustOrganization(
      name,
      {
        accountId: args.accountId,
        name: args.teamName,
        authDomain: `${args.teamName}.cloudflareaccess.com`,
        // warp_auth_session_duration only applies when users may authenticate through WARP.
        allowAuthenticateViaWarp: true,
        warpAuthSessionDuration: args.warpSessionDuration,
      },
      { parent: this, ignoreChanges: [...UNMANAGED_ORGANIZATION_FIELDS] },
    );
    this.registerOutputs({});
  }
}
