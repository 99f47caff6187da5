// Zero Trust lists hold about 1,000 entries on non-Enterprise plans: larger sets are split.
export const LIST_LIMIT = 1000;

export function chunk<T>(items: readonly T[], size = LIST_LIMIT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
