import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig } from "../src/config/schema";
import { ingressRules } from "../src/model/network";
import { RESOURCE } from "../src/model/objects";

export interface TunnelArgs {
  accountId: string;
  zoneId: string;
  tunnelName: string;
  apps: readonly AppConfig[];
  privateCidr: string;
}

/** The remotely managed tunnel: public hostnames, the private network route, and the connector token. */
export class Tunnel extends pulumi.ComponentResource {
  readonly tunnelId: pulumi.Output<string>;
  /** Secret: anyone holding it can run the tunnel. */
  readonly token: pulumi.Output<string>;

  constructor(name: string, args: TunnelArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:Tunnel", name, {}, opts);
    const { accountId } = args;
    const tunnel = new cloudflare.ZeroTrustTunnelCloudflared(
      RESOURCE.tunnel(name),
      { accountId, name: args.tunnelName, configSrc: "cloudflare" },
      { parent: this },
    );
    this.tunnelId = tunnel.id;

    new cloudflare.ZeroTrustTunnelCloudflaredConfig(
      `${name}-config`,
      {
        accountId,
        tunnelId: tunnel.id,
        source: "cloudflare",
        config: { ingresses: ingressRules(args.apps) },
      },
      { parent: this },
    );

    new cloudflare.ZeroTrustTunnelCloudflaredRoute(
      `${name}-private-route`,
      {
        accountId,
        tunnelId: tunnel.id,
        network: args.privateCidr,
        comment: "Private network reached through WARP (managed by zt-gitops)",
      },
      { parent: this },
    );

    for (const app of args.apps) {
      new cloudflare.DnsRecord(
        `${name}-dns-${app.hostname}`,
        {
          zoneId: args.zoneId,
          name: app.hostname,
          type: "CNAME",
          content: pulumi.interpolate`${tunnel.id}.cfargotunnel.com`,
          proxied: true,
          ttl: 1,
          comment: "Routes to the tunnel (managed by zt-gitops)",
        },
        { parent: this },
      );
    }

    this.token = pulumi.secret(
      cloudflare.getZeroTrustTunnelCloudflaredTokenOutput(
        { accountId, tunnelId: tunnel.id },
        { parent: this },
      ).token,
    );
    this.registerOutputs({ tunnelId: this.tunnelId, token: this.token });
  }
}
