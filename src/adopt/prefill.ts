import { emailLists, serialLists } from "../model/access";
import type { DesiredState } from "../model/desired";
import { COMPONENT, RESOURCE, TYPE } from "../model/objects";

// During an adoption the stack's new lists replace rules the admin's policy and posture rule hold
// inline: a list the policy (or a posture rule) switches to must already hold everyone, or a listed user
// is refused between two steps of the apply. So each new list is created with its entries (one POST,
// `items`); ListMembers then finds nothing to add. The bridged list ignores `items` after its create.

export function prefillLists(
  desired: DesiredState,
  inState: ReadonlySet<string>,
): { type: string; name: string; props: Record<string, unknown> }[] {
  const lists = [
    ...emailLists(desired).map((e) => ({ name: RESOURCE.emailList(COMPONENT.access, e), values: e.emails })),
    ...serialLists(desired).map((s) => ({
      name: RESOURCE.serialList(COMPONENT.posture, s),
      values: s.serials,
    })),
  ];
  return lists
    .filter((l) => !inState.has(`${TYPE.list}::${l.name}`))
    .map((l) => ({ type: TYPE.list, name: l.name, props: { items: l.values.map((value) => ({ value })) } }));
}
