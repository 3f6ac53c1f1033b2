// The browser's reads, as react-query options: one file, so keys and polling rules live in one
// place.
import { queryOptions } from '@tanstack/react-query';
import { type Extract, isActive, type Load } from '@/lib/prequel/contract/job';
import type { Preview } from '@/lib/prequel/contract/records';
import type { SourceTable } from '@/lib/prequel/contract/source-actions';
import { readRoute } from '@/lib/read-route';
import { launchState } from './launch-state';
import type { TableRef } from './dataset-choice';

export type TablePage = { items: SourceTable[]; nextCursor: string | null };
export type DatasetRow = {
  id: string;
  name: string;
  type: 'dimension' | 'fact';
  frequencyMinutes: number;
  /** The table it reads; null for a query. */
  table: TableRef | null;
  latestExtract: Extract | null;
};

const running = (extract: Extract | null) => isActive(extract);

export type StreamRow = { id: string; name: string; isEnabled: boolean; latestLoad: Load | null };

export type PreviewInput = {
  destinationId: string;
  datasetId: string;
  mappings: unknown[];
  recordIds: string[];
};

export const wizardQueries = {
  preview: (input: PreviewInput) =>
    queryOptions({
      queryKey: ['wizard', 'preview', input],
      queryFn: () => readRoute<Preview>('/api/wizard/preview', input),
      enabled: input.recordIds.length > 0,
      retry: false,
    }),
  tables: (search: string, cursor: string | null) =>
    queryOptions({
      queryKey: ['wizard', 'tables', search, cursor],
      queryFn: () =>
        readRoute<TablePage>(
          `/api/wizard/tables?${new URLSearchParams({ search, ...(cursor ? { cursor } : {}) })}`,
        ),
      placeholderData: (previous) => previous,
    }),
  loads: () =>
    queryOptions({
      queryKey: ['wizard', 'loads'],
      queryFn: () => readRoute<StreamRow[]>('/api/wizard/loads'),
      // Poll while the launch delivers; stop once every load has settled.
      refetchInterval: (query) =>
        launchState(query.state.data).kind === 'delivering' ? 1500 : false,
    }),
  datasets: () =>
    queryOptions({
      queryKey: ['wizard', 'datasets'],
      queryFn: () => readRoute<DatasetRow[]>('/api/wizard/datasets'),
      // Poll while any extract is queued or running; stop once all are settled.
      refetchInterval: (query) =>
        query.state.data?.some((row) => running(row.latestExtract)) ? 1500 : false,
    }),
};
