import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { IdentityProviderConfig } from "../src/config/portal-config";
import { AudienceSpecs, providersFor } from "../src/model/audiences";
import { groupListName, loginGroupName } from "../src/model/names";
import { LoginMethod } from "../src/model/portal";
import { RESOURCE } from "../src/model/objects";
import { MemberList } from "./list-members";

export interface AudiencesArgs {
  accountId: string;
  specs: AudienceSpecs;
  providers: readonly IdentityProviderConfig[];
  /** IdP name -> id. */
  idpIds: Record<string, pulumi.Input<string>>;
  /** Token name -> id. */
  tokenIds: Record<string, pulumi.Input<string>>;
  devicesGroupId: pulumi.Input<string>;
  sessionDuration: string;
}

/**
 * Who is who in portal mode: one set of EMAIL lists per group, one reusable policy per group (with or
 * without the device check), and one Service Auth policy per application that admits service tokens.
 * The applications (components/access.ts) refer to these policies.
 */
export class Audiences extends pulumi.ComponentResource {
  /** Policy ids by GroupPolicySpec.key, and Service Auth policy ids by app key. */
  readonly groupPolicyIds: Record<string, pulumi.Output<string>> = {};
  readonly serviceAuthIds: Record<string, pulumi.Output<string>> = {};
  /** Every group's lists with their members, for ListMembers. */
  readonly lists: MemberList[];
  /** What includes the lists: written before anyone is removed from one. */
  readonly attachments: pulumi.Resource[] = [];

  constructor(name: string, args: AudiencesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:Audiences", name, {}, opts);
    const { accountId, specs } = args;
    const listIds = new Map<string, pulumi.Output<string>>();
    this.lists = specs.lists.map((spec) => {
      const list = new cloudflare.ZeroTrustList(
        RESOURCE.groupList(name, spec),
        {
          accountId,
          name: groupListName(spec.group, spec.index),
          type: "EMAIL",
          description: `Members of ${spec.group} (managed by zt-gitops from users.yaml)`,
        },
        // Entries belong to ListMembers, as for the legacy lists (components/access.ts says why).
        { parent: this, ignoreChanges: ["items"] },
      );
      listIds.set(spec.key, list.id);
      return {
        key: `group-${spec.key}`,
        family: `group-${spec.group}`,
        index: spec.index,
        listId: list.id,
        values: spec.emails,
      };
    });

    // `require` is all-of: a login method backed by several providers becomes one rule group (any-of).
    const loginRule = new Map<LoginMethod, pulumi.Input<string>>();
    for (const login of specs.loginGroups) {
      const g = new cloudflare.ZeroTrustAccessGroup(
        RESOURCE.loginGroup(name, login),
        {
          accountId,
          name: loginGroupName(login),
          includes: providersFor(login, args.providers).map((p) => ({ loginMethod: { id: args.idpIds[p] } })),
        },
        { parent: this },
      );
      this.attachments.push(g);
      loginRule.set(login, g.id);
    }
    const requireLogin = (login: LoginMethod) => {
      const group = loginRule.get(login);
      if (group) return { group: { id: group } };
      const [only] = providersFor(login, args.providers);
      return { loginMethod: { id: args.idpIds[only] } };
    };

    for (const p of specs.groupPolicies) {
      const policy = new cloudflare.ZeroTrustAccessPolicy(
        RESOURCE.groupPolicy(name, p.key),
        {
          accountId,
          name: p.name,
          decision: "allow",
          includes: p.lists.map((key) => ({ emailList: { id: listIds.get(key)! } })),
          requires: [requireLogin(p.login), ...(p.devices ? [{ group: { id: args.devicesGroupId } }] : [])],
          sessionDuration: args.sessionDuration,
        },
        { parent: this },
      );
      this.attachments.push(policy);
      this.groupPolicyIds[p.key] = policy.id;
    }

    for (const s of specs.serviceAuth) {
      const policy = new cloudflare.ZeroTrustAccessPolicy(
        RESOURCE.serviceAuthPolicy(name, s.app),
        {
          accountId,
          name: s.name,
          decision: "non_identity",
          includes: s.tokens.map((t) => ({ serviceToken: { tokenId: args.tokenIds[t] } })),
          sessionDuration: args.sessionDuration,
        },
        { parent: this },
      );
      this.serviceAuthIds[s.app] = policy.id;
    }
    this.registerOutputs({ groupPolicyIds: this.groupPolicyIds, serviceAuthIds: this.serviceAuthIds });
  }
}
