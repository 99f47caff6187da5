// What one PATCH must send to turn a list's current entries into the desired ones. Pure, so the
// provider of list entries (components/list-items.ts) stays a thin shell over the API.

export interface ListPatch {
  append: string[];
  remove: string[];
}

/** Entries compare as Cloudflare stores them: emails lower-case (users.yaml already lowers them), serials as written. */
export function listPatch(current: readonly string[], desired: readonly string[]): ListPatch {
  const have = new Set(current);
  const want = new Set(desired);
  return {
    append: [...want].filter((v) => !have.has(v)).sort(),
    remove: [...have].filter((v) => !want.has(v)).sort(),
  };
}

export const isEmptyPatch = (p: ListPatch) => p.append.length === 0 && p.remove.length === 0;

/** The same set of entries, whatever the order Cloudflare (or users.yaml) gives them in. */
export function sameEntries(a: readonly string[], b: readonly string[]): boolean {
  return isEmptyPatch(listPatch(a, b));
}
