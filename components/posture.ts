import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { POSTURE_PLATFORM, SerialListSpec } from "../src/model/access";
import { MemberList } from "./list-members";
import { postureRuleName, serialListName } from "../src/model/names";
import { RESOURCE } from "../src/model/objects";

export interface DevicePostureArgs {
  accountId: string;
  lists: readonly SerialListSpec[];
}

/** SERIAL lists per OS and one serial_number posture rule per list: a device passes when its serial is listed. */
export class DevicePosture extends pulumi.ComponentResource {
  readonly ruleIds: pulumi.Output<string>[];
  /** The serial lists with the serials on each, for ListMembers. */
  readonly serialLists: MemberList[] = [];

  constructor(name: string, args: DevicePostureArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:DevicePosture", name, {}, opts);
    this.ruleIds = args.lists.map((spec) => {
      const list = new cloudflare.ZeroTrustList(
        RESOURCE.serialList(name, spec),
        {
          accountId: args.accountId,
          name: serialListName(spec.os, spec.index),
          type: "SERIAL",
          description: "Registered device serials (managed by zt-gitops from users.yaml)",
        },
        // Entries are written by ListMembers; whatever a refresh reads into `items` is ignored.
        { parent: this, ignoreChanges: ["items"] },
      );
      this.serialLists.push({
        key: spec.key,
        family: spec.os,
        index: spec.index,
        listId: list.id,
        values: spec.serials,
      });
      const rule = new cloudflare.ZeroTrustDevicePostureRule(
        RESOURCE.postureRule(name, spec),
        {
          accountId: args.accountId,
          name: postureRuleName(spec.os, spec.index),
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
