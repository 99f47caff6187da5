import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";

export interface OrganizationArgs {
  accountId: string;
  teamName: string;
  /** WARP session, e.g. "24h"; validation guarantees it is not shorter than the app session. */
  warpSessionDuration: string;
}

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
      { parent: this },
    );
    this.registerOutputs({});
  }
}
