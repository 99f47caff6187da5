import * as pulumi from "@pulumi/pulumi";
import { ListApi, ListEntries } from "./list-entries";

// Who is on which list, written after the lists are attached to the policy and the posture group. Each
// family of lists (the email lists, the serial lists of one OS) is written from the highest index down:
// when a team outgrows its lists, entries move only from list i to list i + count (src/model/chunks.ts),
// so the new list gains them before the old one drops them, and the policy and posture group already
// include the new list by then. Nobody listed is refused at any moment of the apply.

export interface MemberList {
  /** Family and index, e.g. "emails-0", "macos-1": names the child. */
  key: string;
  /** Lists of one family share a family name; order within a family is by index. */
  family: string;
  index: number;
  listId: pulumi.Input<string>;
  values: string[];
}

export interface ListMembersArgs {
  accountId: string;
  lists: readonly MemberList[];
  listApi: ListApi;
  /** What must include the lists before anyone is removed from one: the policy, the posture group. */
  attachments: readonly pulumi.Resource[];
}

export class ListMembers extends pulumi.ComponentResource {
  constructor(name: string, args: ListMembersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:ListMembers", name, {}, opts);
    const byFamily = new Map<string, MemberList[]>();
    for (const l of args.lists) byFamily.set(l.family, [...(byFamily.get(l.family) ?? []), l]);
    for (const family of byFamily.values()) {
      let higher: ListEntries | undefined;
      for (const l of [...family].sort((a, b) => b.index - a.index)) {
        higher = new ListEntries(
          `${name}-${l.key}`,
          { ...args.listApi, accountId: args.accountId, listId: l.listId, values: l.values },
          { parent: this, dependsOn: [...args.attachments, ...(higher ? [higher] : [])] },
        );
      }
    }
    this.registerOutputs({});
  }
}
