import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { POSTURE_PLATFORM, SerialListSpec } from "../src/model/access";
import { postureRuleName, RESOURCE, serialListName } from "../src/model/objects";
import { ListApi, ListEntries } from "./list-entries";

export interface DevicePostureArgs {
  accountId: string;
  lists: readonly SerialListSpec[];
  /** Where list entries are written (they are not part of the bridged list: see list-entries.ts). */
  listApi: ListApi;
}

/** SERIAL lists per OS and one serial_number posture rule per list: a device passes when its serial is listed. */
export class DevicePosture extends pulumi.ComponentResource {
  readonly ruleIds: pulumi.Output<string>[];

  constructor(name: string, args: DevicePostureArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:DevicePosture", name, {}, opts);
    this.ruleIds = args.lists.map((spec) => {
      const list = new cloudflare.ZeroTrustList(
        RESOURCE.serialList(name, spec),
        {
          accountId: args.accountId,
          name: serialListName(spec),
          type: "SERIAL",
          description: "Registered device serials (managed by zt-gitops from users.yaml)",
        },
        // Whatever a refresh reads into `items` (Cloudflare leaves them out), the entries resource owns them.
        { parent: this, ignoreChanges: ["items"] },
      );
      new ListEntries(
        `${RESOURCE.serialList(name, spec)}-entries`,
        { ...args.listApi, accountId: args.accountId, listId: list.id, values: spec.serials },
        { parent: this },
      );
      const rule = new cloudflare.ZeroTrustDevicePostureRule(
        RESOURCE.postureRule(name, spec),
        {
          accountId: args.accountId,
          name: postureRuleName(spec),
          type: "serial_number",
          description: "Device serial is registered in users.yaml",
          input: { id: list.id },
          matches: [{ platform: POSTURE_PLATFORM[spec.os] }],
        },
        { parent: this },
      );
      return rule.id;
    });
    this.registerOutputs({ ruleIds: this.ruleIds });
  }
}
