// Pure: walks a paginated list to its end, or to a cap, so no caller loops forever or loads a whole
// tenant.
import type { PrequelResult } from './client';
import type { Page } from './envelope';

export type AllPages<T> = {
  items: T[];
  /** false when a cap stopped the walk before the last page. */ complete: boolean;
};

export async function fetchAllPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<PrequelResult<Page<T>>>,
  { maxItems = 1000, maxPages = 100 }: { maxItems?: number; maxPages?: number } = {},
): Promise<PrequelResult<AllPages<T>>> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 1; ; pages++) {
    const page = await fetchPage(cursor);
    if (!page.ok) return page;
    items.push(...page.data.items);
    const next = page.data.nextCursor;
    if (next === null)
      return {
        ok: true,
        data: { items: items.slice(0, maxItems), complete: items.length <= maxItems },
      };
    // A cursor seen before would loop; treat it like a cap.
    if (items.length >= maxItems || pages >= maxPages || seen.has(next)) {
      return { ok: true, data: { items: items.slice(0, maxItems), complete: false } };
    }
    seen.add(next);
    cursor = next;
  }
}
