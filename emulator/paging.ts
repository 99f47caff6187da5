// Cloudflare's two paging styles. Page style: `page`/`per_page` with a full
// result_info; the SDKs ask for page n+1 until a page comes back empty, so a
// page past the end must be an empty array, not an error. Cursor style: an
// opaque `cursor` in result_info, empty on the last page.
import { type Reply, type ResultInfo, fail } from "./http";

function intParam(q: URLSearchParams, name: string, dflt: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(400, 1001, `${name} must be an integer between ${min} and ${max}`);
  return n;
}

export function paginate<T>(
  items: T[],
  q: URLSearchParams,
  opts: { perPage?: number; maxPerPage?: number } = {},
): Reply {
  const perPage = intParam(q, "per_page", opts.perPage ?? 20, 1, opts.maxPerPage ?? 1000);
  const page = intParam(q, "page", 1, 1, Number.MAX_SAFE_INTEGER);
  const start = (page - 1) * perPage;
  const slice = items.slice(start, start + perPage);
  const info: ResultInfo = {
    page,
    per_page: perPage,
    count: slice.length,
    total_count: items.length,
    total_pages: Math.max(1, Math.ceil(items.length / perPage)),
  };
  return { result: slice, result_info: info };
}

export function cursorPaginate<T>(items: T[], q: URLSearchParams, dfltPerPage = 10): Reply {
  const perPage = intParam(q, "per_page", dfltPerPage, 1, 1000);
  let offset = 0;
  const cursor = q.get("cursor");
  if (cursor) {
    const decoded = Number(Buffer.from(cursor, "base64url").toString("utf8").replace(/^o:/, ""));
    if (!Number.isInteger(decoded) || decoded < 0) fail(400, 1001, "cursor is invalid");
    offset = decoded;
  }
  const slice = items.slice(offset, offset + perPage);
  const next =
    offset + perPage < items.length ? Buffer.from(`o:${offset + perPage}`).toString("base64url") : "";
  return { result: slice, result_info: { count: slice.length, per_page: perPage, cursor: next } };
}
