import { Document, isMap, isNode, isPair, isScalar, LineCounter, Node } from "yaml";

// Maps a data path (["users", 3, "email"]) back to where it was written, so every error can say LINE:COL.
export class Positions {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Position of the value at `path`, or of its nearest existing ancestor (for a missing key). */
  of(path: readonly PropertyKey[]): { line: number; col: number } {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return this.at(node.range[0]);
    }
    return { line: 1, col: 1 };
  }

  /** Position of a key inside the mapping at `path` (for unknown keys: point at the typo itself). */
  ofKey(path: readonly PropertyKey[], key: string): { line: number; col: number } {
    const map = path.length === 0 ? this.doc.contents : this.doc.getIn(path as unknown[], true);
    if (isMap(map)) {
      for (const item of map.items) {
        if (isPair(item) && isScalar(item.key) && String(item.key.value) === key && item.key.range) {
          return this.at(item.key.range[0]);
        }
      }
    }
    return this.of(path);
  }

  at(offset: number): { line: number; col: number } {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }

  node(path: readonly PropertyKey[]): Node | undefined {
    const n = this.doc.getIn(path as unknown[], true);
    return isNode(n) ? n : undefined;
  }
}

/** LINE:COL of an offset in `text`, for checks that run before (or instead of) YAML parsing. */
export function positionsInText(text: string): (offset: number) => { line: number; col: number } {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo] + 1 };
  };
}
