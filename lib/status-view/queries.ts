// The status views' reads, as react-query options: polling while anything runs, stopping at terminal states.
import { queryOptions } from '@tanstack/react-query';
import type { RecordLineage } from '@/lib/prequel/contract/records';
import { readRoute } from '@/lib/read-route';
import type { ProviderStatus } from './load-status';

const active = (status: string) => status === 'queued' || status === 'running';

export function isRunning(snapshot: ProviderStatus | undefined): boolean {
  if (!snapshot) return false;
  return snapshot.datasets.some((dataset) => dataset.extracts[0] && active(dataset.extracts[0].status)) || snapshot.streams.some((stream) => stream.loads[0] && active(stream.loads[0].status));
}

export const statusQueries = {
  /** `endpoint`: /api/status for a customer, /api/support/tenants/<id>/status for support. */
  snapshot: (endpoint: string) =>
    queryOptions({
      queryKey: ['status', endpoint],
      queryFn: () => readRoute<ProviderStatus>(endpoint),
      // Live while an extract or load runs; once all are settled, polling stops until the page acts again.
      refetchInterval: (query) => (isRunning(query.state.data) ? 1500 : false),
    }),
  trace: (endpoint: string, datasetId: string, key: string) =>
    queryOptions({
      queryKey: ['status', endpoint, 'trace', datasetId, key],
      queryFn: () => readRoute<RecordLineage>(`${endpoint}/trace?${new URLSearchParams({ dataset: datasetId, record: key })}`),
      retry: false,
    }),
};
