import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig } from "../src/config/schema";
import { EmailListSpec } from "../src/model/access";
import { ALLOW_POLICY_NAME, DEVICES_GROUP_NAME, emailListName, RESOURCE } from "../src/model/objects";
import { ListApi, ListEntries } from "./list-entries";

export interface AccessArgs {
  accountId: string;
  apps: readonly AppConfig[];
  /** App session, e.g. "8h". */
  sessionDuration: string;
  emailLists: readonly EmailListSpec[];
  postureRuleIds: readonly pulumi.Input<string>[];
  /** Where list entries are written (they are not part of the bridged list: see list-entries.ts). */
  listApi: ListApi;
}

/**
 * Who gets in: (email in the lists) AND (device passes a posture rule). Include is any-of and require is
 * all-of, so the per-OS posture rules sit in a rule group (any-of) that the policy requires.
 */
export class Access extends pulumi.ComponentResource {
  readonly applicationIds: pulumi.Output<string>[];
  readonly policyId: pulumi.Output<string>;

  constructor(name: string, args: AccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:Access", name, {}, opts);
    const { accountId } = args;
    const lists = args.emailLists.map((spec) => {
      const list = new cloudflare.ZeroTrustList(
        RESOURCE.emailList(name, spec),
        {
          accountId,
          name: emailListName(spec),
          type: "EMAIL",
          description: "Allowed users (managed by zt-gitops from users.yaml)",
        },
        // Whatever a refresh reads into `items` (Cloudflare leaves them out), the entries resource owns them.
        { parent: this, ignoreChanges: ["items"] },
      );
      new ListEntries(
        `${RESOURCE.emailList(name, spec)}-entries`,
        { ...args.listApi, accountId, listId: list.id, values: spec.emails },
        { parent: this },
      );
      return list;
    });

    const devices = new cloudflare.ZeroTrustAccessGroup(
      RESOURCE.devicesGroup(name),
      {
        accountId,
        name: DEVICES_GROUP_NAME,
        includes: args.postureRuleIds.map((integrationUid) => ({ devicePosture: { integrationUid } })),
      },
      { parent: this },
    );

    const policy = new cloudflare.ZeroTrustAccessPolicy(
      RESOURCE.allowPolicy(name),
      {
        accountId,
        name: ALLOW_POLICY_NAME,
        decision: "allow",
        includes: lists.map((l) => ({ emailList: { id: l.id } })),
        requires: [{ group: { id: devices.id } }],
        // A policy's own session length overrides the application's; keep them equal.
        sessionDuration: args.sessionDuration,
      },
      { parent: this },
    );
    this.policyId = policy.id;

    this.applicationIds = args.apps.map(
      (app) =>
        new cloudflare.ZeroTrustAccessApplication(
          RESOURCE.application(name, app),
          {
            accountId,
            name: app.name,
            type: "self_hosted",
            domain: app.hostname,
            sessionDuration: args.sessionDuration,
            appLauncherVisible: true,
            httpOnlyCookieAttribute: true,
            policies: [{ id: policy.id, precedence: 1 }],
          },
          { parent: this },
        ).id,
    );
    this.registerOutputs({ applicationIds: this.applicationIds, policyId: this.policyId });
  }
}
