import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { DesiredServiceToken } from "../src/model/portal";
import { serviceTokenName } from "../src/model/names";
import { RESOURCE } from "../src/model/objects";

export interface ServiceTokensArgs {
  accountId: string;
  tokens: readonly DesiredServiceToken[];
}

export interface IssuedToken {
  id: pulumi.Output<string>;
  clientId: pulumi.Output<string>;
  clientSecret: pulumi.Output<string>;
}

/**
 * Service tokens for automation (CI): Cloudflare shows the client secret only in the create (or
 * rotation) answer, so the stack keeps it, as a secret, and hands it out as a secret output.
 */
export class ServiceTokens extends pulumi.ComponentResource {
  readonly tokens: Record<string, IssuedToken> = {};

  constructor(name: string, args: ServiceTokensArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:ServiceTokens", name, {}, opts);
    for (const t of args.tokens) {
      const token = new cloudflare.ZeroTrustAccessServiceToken(
        RESOURCE.serviceToken(name, t.name),
        { accountId: args.accountId, name: serviceTokenName(t.name), duration: t.duration },
        { parent: this, additionalSecretOutputs: ["clientSecret", "clientId"] },
      );
      this.tokens[t.name] = {
        id: token.id,
        clientId: pulumi.secret(token.clientId),
        clientSecret: pulumi.secret(token.clientSecret),
      };
    }
    this.registerOutputs({});
  }
}
