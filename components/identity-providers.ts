import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { IdentityProviderConfig } from "../src/config/portal-config";
import { RESOURCE } from "../src/model/objects";

export interface IdentityProvidersArgs {
  accountId: string;
  providers: readonly IdentityProviderConfig[];
  /** IdP name -> client secret (zt:identityProviderSecrets), a Pulumi secret. */
  secrets: pulumi.Input<Record<string, string>>;
}

/**
 * The login methods: one Cloudflare identity provider per entry, one-time PIN included (it may be off in
 * a new account, so it is declared rather than assumed). Client secrets come in as a secret and stay one.
 */
export class IdentityProviders extends pulumi.ComponentResource {
  /** Provider name -> Cloudflare id (what allowed_idps and login_method rules take). */
  readonly ids: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: IdentityProvidersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:IdentityProviders", name, {}, opts);
    for (const p of args.providers) {
      // The provider's own settings (clientId, appsDomain, oktaAccount, directoryId) as the config has them.
      const { name: idpName, type, ...settings } = p;
      const config =
        type === "onetimepin"
          ? {}
          : {
              ...settings,
              clientSecret: pulumi.secret(pulumi.output(args.secrets).apply((s) => s[idpName] ?? "")),
            };
      const idp = new cloudflare.ZeroTrustAccessIdentityProvider(
        RESOURCE.identityProvider(name, idpName),
        { accountId: args.accountId, name: idpName, type, config },
        { parent: this, additionalSecretOutputs: ["config"] },
      );
      this.ids[p.name] = idp.id;
    }
    this.registerOutputs({ ids: this.ids });
  }
}
