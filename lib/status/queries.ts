// The status views' reads, as react-query options: polling while anything runs, stopping at
// terminal states.
import { queryOptions } from '@tanstack/react-query';
import { isActive } from '@/lib/prequel/contract/job';
import type { RecordLineage } from '@/lib/prequel/contract/records';
import { readRoute } from '@/lib/read-route';
import type { ProviderStatus } from './load-status';

const POLL_MS = 1500;
/**
 * How far ahead a scheduled retry keeps the page polling for it (later ones are seen at the next
 * action or visit).
 */
const RETRY_HORIZON_MS = 2 * 60_000;

export function isRunning(snapshot: ProviderStatus | undefined): boolean {
  if (!snapshot) return false;
  return (
    snapshot.datasets.some((dataset) => isActive(dataset.extracts[0])) ||
    snapshot.streams.some((stream) => isActive(stream.loads[0]))
  );
}

/**
 * While nothing runs: the time until the soonest retry due within the horizon (polled a moment
 * after), else false.
 */
export function untilNextRetry(
  snapshot: ProviderStatus | undefined,
  now = Date.now(),
): number | false {
  const due = (snapshot?.streams ?? [])
    .flatMap((stream) =>
      stream.retry?.nextRetryAt ? [Date.parse(stream.retry.nextRetryAt) - now] : [],
    )
    .filter((ms) => ms < RETRY_HORIZON_MS);
  return due.length ? Math.max(POLL_MS, Math.min(...due) + 1000) : false;
}

export const statusQueries = {
  /** `endpoint`: /api/status for a customer, /api/support/tenants/<id>/status for support. */
  snapshot: (endpoint: string) =>
    queryOptions({
      queryKey: ['status', endpoint],
      queryFn: () => readRoute<ProviderStatus>(endpoint),
      // Live while an extract or load runs, or when a retry is due soon; once all are settled,
      // polling stops until the page acts again.
      refetchInterval: (query) =>
        isRunning(query.state.data) ? POLL_MS : untilNextRetry(query.state.data),
    }),
  trace: (endpoint: string, datasetId: string, key: string) =>
    queryOptions({
      queryKey: ['status', endpoint, 'trace', datasetId, key],
      queryFn: () =>
        readRoute<RecordLineage>(
          `${endpoint}/trace?${new URLSearchParams({ dataset: datasetId, record: key })}`,
        ),
      retry: false,
    }),
};
