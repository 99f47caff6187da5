import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { LogpushConfig } from "../src/config/schema";
import { destinationConf, logpushDatasets } from "../src/model/logpush";

export interface LogpushArgs {
  accountId: string;
  config: LogpushConfig;
  /** Destination credential (see destinationConf); a Pulumi secret. */
  credential: pulumi.Input<string>;
}

/** Access and Gateway logs to one destination (Enterprise only). S3 must prove bucket ownership first. */
export class Logpush extends pulumi.ComponentResource {
  constructor(name: string, args: LogpushArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:Logpush", name, {}, opts);
    const { accountId, config } = args;
    const conf = (dataset: string) =>
      pulumi.secret(
        pulumi.output(args.credential).apply((c) => destinationConf(config, accountId, dataset, c)),
      );

    let ownershipChallenge: string | undefined;
    if (config.destination === "s3") {
      // Cloudflare writes a token file into the bucket; the admin copies it into zt:logpush.ownershipChallenge.
      new cloudflare.LogpushOwnershipChallenge(
        `${name}-ownership`,
        { accountId, destinationConf: conf(logpushDatasets[0]) },
        { parent: this },
      );
      ownershipChallenge = config.ownershipChallenge;
      if (!ownershipChallenge) {
        pulumi.log.warn(
          "Logpush to S3 waits for the ownership challenge: read the token file Cloudflare wrote into the bucket and set zt:logpush.ownershipChallenge, then run again.",
          this,
        );
        this.registerOutputs({});
        return;
      }
    }
    for (const dataset of logpushDatasets) {
      new cloudflare.LogpushJob(
        `${name}-${dataset}`,
        {
          accountId,
          dataset,
          name: `zt-gitops-${dataset.replace(/_/g, "-")}`,
          destinationConf: conf(dataset),
          enabled: true,
          ownershipChallenge,
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
