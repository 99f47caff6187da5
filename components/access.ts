import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig } from "../src/config/schema";
import { EmailListSpec } from "../src/model/access";
import { Audiences, AudiencesArgs } from "./audiences";
import { MemberList } from "./list-members";
import { appKey } from "../src/model/audiences";
import { DEVICE_GROUP_NAME, emailListName, POLICY_NAME } from "../src/model/names";
import { RESOURCE } from "../src/model/objects";

export interface AccessArgs {
  accountId: string;
  apps: readonly AppConfig[];
  /** App session, e.g. "8h". */
  sessionDuration: string;
  emailLists: readonly EmailListSpec[];
  postureRuleIds: readonly pulumi.Input<string>[];
  /**
   * Portal mode (docs/design-portal.md): per-group lists and policies, and each application's own
   * policies and login methods, instead of the one shared list set and policy. Absent: legacy.
   */
  portal?: Omit<AudiencesArgs, "accountId" | "devicesGroupId" | "sessionDuration">;
}

/**
 * Who gets in: (email in the lists) AND (device passes a posture rule). Include is any-of and require is
 * all-of, so the per-OS posture rules sit in a rule group (any-of) that the policy requires.
 */
export class Access extends pulumi.ComponentResource {
  readonly applicationIds: pulumi.Output<string>[];
  /** The shared policy (legacy mode only). */
  readonly policyId?: pulumi.Output<string>;
  /** Portal mode: the groups' lists, policies and Service Auth policies. */
  readonly audiences?: Audiences;
  /** The email lists with who belongs on each, for ListMembers. */
  readonly emailLists: MemberList[];
  /** What must include a list before anyone leaves one: the policy and the posture group. */
  readonly attachments: pulumi.Resource[];

  constructor(name: string, args: AccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:Access", name, {}, opts);
    const { accountId } = args;
    const lists = args.emailLists.map(
      (spec) =>
        new cloudflare.ZeroTrustList(
          RESOURCE.emailList(name, spec),
          {
            accountId,
            name: emailListName(spec.index),
            type: "EMAIL",
            description: "Allowed users (managed by zt-gitops from users.yaml)",
          },
          // Entries are written by ListMembers (Cloudflare's GET of a list leaves them out, so a refresh
          // would otherwise plan to put them back every time); whatever a refresh reads here is ignored.
          { parent: this, ignoreChanges: ["items"] },
        ),
    );
    this.emailLists = args.emailLists.map((spec, i) => ({
      key: `emails-${spec.key}`,
      family: "emails",
      index: spec.index,
      listId: lists[i].id,
      values: spec.emails,
    }));

    const devices = new cloudflare.ZeroTrustAccessGroup(
      RESOURCE.devicesGroup(name),
      {
        accountId,
        name: DEVICE_GROUP_NAME,
        includes: args.postureRuleIds.map((integrationUid) => ({ devicePosture: { integrationUid } })),
      },
      { parent: this },
    );

    this.attachments = [devices];
    let appPolicies: (app: AppConfig) => {
      policies: { id: pulumi.Input<string>; precedence: number }[];
      allowedIdps?: pulumi.Input<string>[];
    };
    if (args.portal) {
      const audiences = new Audiences(
        `${name}-audiences`,
        { ...args.portal, accountId, devicesGroupId: devices.id, sessionDuration: args.sessionDuration },
        { parent: this },
      );
      this.audiences = audiences;
      this.attachments.push(...audiences.attachments);
      const { specs, idpIds } = args.portal;
      appPolicies = (app) => {
        const spec = specs.apps.find((a) => a.app === appKey(app));
        const ids = (spec?.policies ?? []).map((p) =>
          p.kind === "serviceAuth" ? audiences.serviceAuthIds[p.app] : audiences.groupPolicyIds[p.key],
        );
        return {
          policies: ids.map((id, i) => ({ id, precedence: i + 1 })),
          allowedIdps: (spec?.allowedIdps ?? []).map((n) => idpIds[n]),
        };
      };
    } else {
      const policy = new cloudflare.ZeroTrustAccessPolicy(
        RESOURCE.allowPolicy(name),
        {
          accountId,
          name: POLICY_NAME,
          decision: "allow",
          includes: lists.map((l) => ({ emailList: { id: l.id } })),
          requires: [{ group: { id: devices.id } }],
          // A policy's own session length overrides the application's; keep them equal.
          sessionDuration: args.sessionDuration,
        },
        { parent: this },
      );
      this.policyId = policy.id;
      this.attachments = [policy, devices];
      appPolicies = () => ({ policies: [{ id: policy.id, precedence: 1 }] });
    }

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
            ...appPolicies(app),
          },
          { parent: this },
        ).id,
    );
    this.registerOutputs({ applicationIds: this.applicationIds, policyId: this.policyId });
  }
}
