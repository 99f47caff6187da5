import { Document, isAlias, isMap, isNode, isScalar, isSeq, Node, visit } from "yaml";
import { Problem } from "./problems";
import { Positions } from "./positions";

// `<<: *defaults` (YAML 1.1 merge keys) is not part of YAML 1.2, which users.yaml is read as: the
// schema would see a key named "<<", miss the merged keys, and object to a `defaults:` block, three
// errors that hide the one cause. Say it once per merge key and drop what follows from it.

export interface MergeKeys {
  problems: Problem[];
  /** True for paths inside a mapping that uses a merge key (its schema problems are consequences). */
  covers(path: readonly PropertyKey[]): boolean;
  /** True when the key of the mapping at `path` only holds an anchor that merge keys use. */
  isSource(path: readonly PropertyKey[], key: string): boolean;
}

export function mergeKeys(doc: Document, positions: Positions, file: string): MergeKeys {
  const maps = new Set<Node>();
  const found: { offset: number; names: string[] }[] = [];
  visit(doc, {
    Pair(_, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.value !== "<<" || !pair.key.range) return;
      const parent = ancestors[ancestors.length - 1];
      if (isNode(parent)) maps.add(parent);
      const targets = isSeq(pair.value) ? pair.value.items : [pair.value];
      found.push({ offset: pair.key.range[0], names: targets.filter(isAlias).map((a) => a.source) });
    },
  });
  const used = new Set(found.flatMap((f) => f.names));
  const sources = new Map<string, string>(); // anchor -> the unknown key that holds it
  const isSource = (path: readonly PropertyKey[], key: string) => {
    const map = path.length === 0 ? doc.contents : doc.getIn(path as unknown[], true);
    const value = isMap(map) ? map.get(key, true) : undefined;
    if (!isNode(value) || !value.anchor || !used.has(value.anchor)) return false;
    sources.set(value.anchor, key);
    return true;
  };
  const covers = (path: readonly PropertyKey[]) => {
    for (let n = 0; n <= path.length; n++) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && maps.has(node)) return true;
    }
    return false;
  };
  return {
    covers,
    isSource,
    // Built on read, after the schema pass has asked isSource() about unknown keys.
    get problems() {
      return found.map(({ offset, names }) => {
        const merged = names.map((n) => `*${n}`).join(", ") || "the merged mapping";
        const held = [...new Set(names.map((n) => sources.get(n)).filter((k) => k !== undefined))];
        const drop = held.length ? `, then delete ${held.map((k) => `"${k}:"`).join(", ")}` : "";
        return {
          file,
          ...positions.at(offset),
          message: `merge keys (<<) are not supported: write the keys out in this entry instead of merging ${merged}${drop}`,
        };
      });
    },
  };
}
