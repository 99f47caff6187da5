import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ConnectorSpec, TOKEN_VARIABLE } from "../src/model/connector";

export interface ConnectorArgs {
  /** unix:///var/run/docker.sock or ssh://user@host */
  dockerHost: string;
  spec: ConnectorSpec;
  /** Secret tunnel token; reaches the containers only through their environment. */
  token: pulumi.Input<string>;
}

/** cloudflared replicas (failover, not load balancing) and dnsmasq on the server's Docker engine. */
export class Connector extends pulumi.ComponentResource {
  constructor(name: string, args: ConnectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:Connector", name, {}, opts);
    const provider = new docker.Provider(`${name}-docker`, { host: args.dockerHost }, { parent: this });
    const child = { parent: this, provider };
    // Images first, and the network after them: a missing image (or a registry that cannot be
    // reached) fails before anything is created on the engine.
    const images = new Map<string, docker.RemoteImage>();
    for (const image of new Set(args.spec.containers.map((c) => c.image))) {
      images.set(
        image,
        new docker.RemoteImage(`${name}-image-${image}`, { name: image, keepLocally: true }, child),
      );
    }
    const network = new docker.Network(
      `${name}-network`,
      {
        name: args.spec.network.name,
        ipamConfigs: [{ subnet: args.spec.network.subnet }],
      },
      { ...child, dependsOn: [...images.values()] },
    );

    for (const c of args.spec.containers) {
      const tokenEnv = c.needsToken
        ? [pulumi.secret(pulumi.interpolate`${TOKEN_VARIABLE}=${args.token}`)]
        : [];
      new docker.Container(
        `${name}-${c.name}`,
        {
          name: c.name,
          image: images.get(c.image)!.imageId,
          command: c.command,
          envs: [...c.env, ...tokenEnv],
          restart: "unless-stopped",
          networksAdvanced: [{ name: network.name, ipv4Address: c.ipv4Address }],
        },
        // Fixed name and address: the old container must go before its replacement can take them.
        { ...child, deleteBeforeReplace: true },
      );
    }
    this.registerOutputs({});
  }
}
