import { createHash } from "node:crypto";

// How entries are spread over Zero Trust lists. Cloudflare holds 1,000 entries per list on Standard
// (5,000 on Enterprise) and 100 lists per account. Entries go to a list by a hash of their value, not by
// their place in sorted order: adding or removing one person then touches exactly the one list their
// hash names (sorted slices would shift a neighbour into the next list on every change). The number of
// lists is a power of two, so when a team outgrows it, list i splits into i and i + count: entries
// only ever move to a list with a higher index, which lets the program order the move (add to the new
// list before removing from the old) so that nobody is refused in between (see components/access.ts).

/** Cloudflare's per-list limit on non-Enterprise plans. */
export const LIST_LIMIT = 1000;
/**
 * Lists hold at most this many entries on average (300 to 600 as a team grows), so the hash's
 * unevenness never approaches the limit. The count doubles when a team crosses 600, 1,200, 2,400, …
 * entries: a split is safe (ordered, see components/list-members.ts) but touches every list of the
 * family once, so the thresholds sit away from round team sizes.
 */
export const LIST_TARGET = 600;

/** 32 bits of SHA-256: the same bucket on every machine and Node version. */
function hash32(value: string): number {
  return createHash("sha256").update(value).digest().readUInt32BE(0);
}

/** The number of lists for `n` entries: the smallest power of two that keeps lists near the target. */
export function listCount(n: number, target = LIST_TARGET): number {
  let count = 1;
  while (n / count > target) count *= 2;
  return count;
}

/**
 * Entries spread over `listCount` lists by hash, each list sorted. A list over the limit (only possible
 * with values chosen against the hash) doubles the count again.
 */
export function chunk(values: readonly string[], limit = LIST_LIMIT, target = LIST_TARGET): string[][] {
  const unique = [...new Set(values)].sort();
  for (let count = listCount(unique.length, target); ; count *= 2) {
    const lists: string[][] = Array.from({ length: count }, () => []);
    for (const v of unique) lists[hash32(v) % count].push(v);
    if (lists.every((l) => l.length <= limit)) return unique.length === 0 ? [] : lists;
  }
}

/** The list a value lands in among `count` lists (for tests and the plan). */
export const listIndexOf = (value: string, count: number) => hash32(value) % count;
