import { Recorded } from "./run-program";

// Which declared resources differ between two runs of the program: what `pulumi preview` would touch.

const key = (r: Recorded) => `${r.type}::${r.name}`;
// The serialized dynamic provider embeds test-run specifics; who is granted is in the other inputs.
const comparable = (r: Recorded) => JSON.stringify({ ...r.inputs, __provider: undefined });

export function changedResources(before: Recorded[], after: Recorded[]) {
  const a = new Map(before.map((r) => [key(r), r]));
  const b = new Map(after.map((r) => [key(r), r]));
  const names = (keys: string[]) => keys.map((k) => k.split("::")[1]).sort();
  return {
    added: names([...b.keys()].filter((k) => !a.has(k))),
    removed: names([...a.keys()].filter((k) => !b.has(k))),
    updated: names([...b.keys()].filter((k) => a.has(k) && comparable(a.get(k)!) !== comparable(b.get(k)!))),
  };
}
