// The browser's reads, as react-query options: one file, so keys and polling rules live in one place.
import { queryOptions } from '@tanstack/react-query';
import type { Extract } from '@/lib/prequel/contract/job';
import type { SourceTable } from '@/lib/prequel/contract/source-actions';

export type RouteResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export class RouteError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

async function read<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
  const body = (await response.json().catch(() => null)) as RouteResult<T> | null;
  if (!body) throw new RouteError(`The server answered ${response.status}. Try again.`, 'invalid_response');
  if (!body.ok) throw new RouteError(body.error.message, body.error.code);
  return body.data;
}

export type TablePage = { items: SourceTable[]; nextCursor: string | null };
export type DatasetRow = { id: string; name: string; type: 'dimension' | 'fact'; frequencyMinutes: number; latestExtract: Extract | null };

const running = (extract: Extract | null) => extract !== null && (extract.status === 'queued' || extract.status === 'running');

export const wizardQueries = {
  tables: (search: string, cursor: string | null) =>
    queryOptions({
      queryKey: ['wizard', 'tables', search, cursor],
      queryFn: () => read<TablePage>(`/api/wizard/tables?${new URLSearchParams({ search, ...(cursor ? { cursor } : {}) })}`),
      placeholderData: (previous) => previous,
    }),
  datasets: () =>
    queryOptions({
      queryKey: ['wizard', 'datasets'],
      queryFn: () => read<DatasetRow[]>('/api/wizard/datasets'),
      // Poll while any extract is queued or running; stop once all are settled.
      refetchInterval: (query) => (query.state.data?.some((row) => running(row.latestExtract)) ? 1500 : false),
    }),
};
