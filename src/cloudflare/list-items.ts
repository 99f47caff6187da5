import { ApiTarget, createClient } from "./client";
import { isEmptyPatch, listPatch } from "../model/list-diff";

// A Zero Trust list's entries, read and written the way Cloudflare serves them: `GET …/lists/{id}` does
// not return items (terraform-provider-cloudflare PR #7265, issues #5788/#5882), only the paginated
// `GET …/lists/{id}/items` does; `PATCH …/lists/{id}` appends and removes in one request.

/** Cloudflare documents up to 1,000 items a page for /items. */
const PER_PAGE = 1000;

/** Every entry of the list, all pages. */
export async function readListItems(target: ApiTarget, listId: string): Promise<string[]> {
  const client = createClient(target);
  const values: string[] = [];
  // Paged by hand: each page's result is the items wrapped in one more array, so the SDK's iterator would
  // see a non-empty page ([[]]) past the end and never stop. Stop on a short page or the last page.
  for (let page = 1; ; page++) {
    const res = await client.zeroTrust.gateway.lists.items.list(listId, {
      account_id: target.accountId,
      page,
      per_page: PER_PAGE,
    });
    const items = (res.result as unknown[]).flat() as { value?: unknown }[];
    for (const item of items) if (typeof item.value === "string") values.push(item.value);
    const info = (res as unknown as { result_info?: { total_pages?: number } }).result_info;
    if (items.length < PER_PAGE || (info?.total_pages !== undefined && page >= info.total_pages)) break;
  }
  return values.sort();
}

/**
 * Make the list hold exactly `desired`, from what it holds now (not from what the state remembers, so a
 * retried or interrupted apply, and entries changed by hand, converge). Appends and removals go in one
 * PATCH: nobody who stays is ever missing, and a person moving in is present before anyone leaves.
 */
export async function syncListItems(
  target: ApiTarget,
  listId: string,
  desired: readonly string[],
): Promise<{ appended: number; removed: number }> {
  const patch = listPatch(await readListItems(target, listId), desired);
  if (isEmptyPatch(patch)) return { appended: 0, removed: 0 };
  const client = createClient(target);
  await client.zeroTrust.gateway.lists.edit(listId, {
    account_id: target.accountId,
    ...(patch.append.length ? { append: patch.append.map((value) => ({ value })) } : {}),
    ...(patch.remove.length ? { remove: patch.remove } : {}),
  });
  return { appended: patch.append.length, removed: patch.remove.length };
}

/** A 404 means the list itself is gone (deleted with its entries): nothing left to remove. */
export function isNotFound(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { status?: unknown }).status === 404;
}
