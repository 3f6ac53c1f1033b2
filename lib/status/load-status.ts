// One read of everything a provider's status page shows: datasets with their extracts, streams with
// their loads.
import 'server-only';
import type { Dataset, SchemaDrift } from '@/lib/prequel/contract/dataset';
import type { Extract, Load } from '@/lib/prequel/contract/job';
import { getCapabilities } from '@/lib/prequel/capabilities';
import { type PrequelResult } from '@/lib/prequel/client';
import { listDatasets, listExtracts } from '@/lib/prequel/datasets';
import { listDestinations } from '@/lib/prequel/destinations';
import { fetchAllPages } from '@/lib/prequel/pagination';
import { listSources } from '@/lib/prequel/sources';
import { listLoads, listStreams } from '@/lib/prequel/streams';
import { readProviderStatus } from '@/lib/prequel/provider-status';
import type { Provider } from '@/lib/prequel/contract/provider';
import type { ProviderStatusSummary } from '@/lib/prequel/contract/provider-status';
import type { Stream } from '@/lib/prequel/contract/stream';

const HISTORY = 20;

export type DatasetStatus = {
  id: string;
  name: string;
  type: 'dimension' | 'fact';
  frequencyMinutes: number;
  /**
   * (ext) Mapped columns gone or retyped at the source; null when none (or the API does not say).
   */
  schemaDrift: SchemaDrift | null;
  extracts: Extract[];
};
export type StreamStatus = {
  id: string;
  name: string;
  datasetId: string;
  destinationId: string;
  destinationName: string;
  isEnabled: boolean;
  disabledReason: string | null;
  /**
   * (ext) Records the endpoint could not take yet and when they are retried; null when none waits
   * or the API does not say.
   */
  retry: { recordsWaiting: number; nextRetryAt: string | null } | null;
  loads: Load[];
};
export type SourceStatus = {
  id: string;
  name: string;
  vendor: string;
  isReachable: boolean | null;
};
/** (ext) What the Import API lets the pages do beyond the documented calls. */
export type StatusFeatures = { cancel: boolean; resync: boolean };
export type ProviderStatus = {
  providerId: string;
  /** The provider itself, where the API's summary brings it along (ext); null otherwise. */
  provider: Provider | null;
  sources: SourceStatus[];
  datasets: DatasetStatus[];
  streams: StreamStatus[];
  features: StatusFeatures;
  readAt: string;
};

/** Newest first, as the API lists them. */
async function recent<T>(list: () => Promise<PrequelResult<{ items: T[] }>>): Promise<T[]> {
  const page = await list();
  return page.ok ? page.data.items : [];
}

/**
 * The status page's data: in one call where the API serves a tenant's summary (ext), otherwise from
 * the documented lists, one call per dataset and stream.
 */
export async function loadProviderStatus(
  providerId: string,
): Promise<PrequelResult<ProviderStatus>> {
  const capabilities = await getCapabilities();
  const features: StatusFeatures = {
    cancel: capabilities.ok && capabilities.data.cancel,
    resync: capabilities.ok && capabilities.data.resync,
  };
  if (capabilities.ok && capabilities.data.providerStatus) {
    const summary = await readProviderStatus(providerId, HISTORY);
    return summary.ok
      ? { ok: true, data: fromSummary(providerId, summary.data, features) }
      : summary;
  }
  return fromLists(providerId, features);
}

const sourceStatus = (source: {
  id: string;
  name: string;
  vendor: string;
  is_reachable: boolean | null;
}) => ({
  id: source.id,
  name: source.name,
  vendor: source.vendor,
  isReachable: source.is_reachable,
});

const datasetStatus = (dataset: Dataset, extracts: Extract[]): DatasetStatus => ({
  id: dataset.id,
  name: dataset.name,
  type: dataset.type,
  frequencyMinutes: dataset.frequency_minutes,
  schemaDrift: dataset.schema_drift ?? null,
  extracts,
});

const streamStatus = (stream: Stream, destinationName: string, loads: Load[]): StreamStatus => ({
  id: stream.id,
  name: stream.name,
  datasetId: stream.dataset_id,
  destinationId: stream.destination_id,
  destinationName,
  isEnabled: stream.is_enabled,
  disabledReason: stream.disabled_reason ?? null,
  retry: stream.retry
    ? { recordsWaiting: stream.retry.records_waiting, nextRetryAt: stream.retry.next_retry_at }
    : null,
  loads,
});

function fromSummary(
  providerId: string,
  summary: ProviderStatusSummary,
  features: StatusFeatures,
): ProviderStatus {
  return {
    providerId,
    provider: summary.provider,
    sources: summary.sources.map(sourceStatus),
    datasets: summary.datasets.map((dataset) => datasetStatus(dataset, dataset.extracts)),
    streams: summary.streams.map((stream) =>
      streamStatus(stream, stream.destination_name, stream.loads),
    ),
    features,
    readAt: summary.read_at,
  };
}

async function fromLists(
  providerId: string,
  features: StatusFeatures,
): Promise<PrequelResult<ProviderStatus>> {
  const scope = { providerId, pageSize: 100 };
  const [sources, datasets, streams, destinations] = await Promise.all([
    listSources(scope),
    listDatasets(scope),
    listStreams(scope),
    fetchAllPages((cursor) => listDestinations({ cursor, pageSize: 100 }), { maxPages: 10 }),
  ]);
  if (!sources.ok) return sources;
  if (!datasets.ok) return datasets;
  if (!streams.ok) return streams;
  const destinationName = new Map(
    destinations.ok
      ? destinations.data.items.map((destination) => [destination.id, destination.name])
      : [],
  );
  const [datasetRows, streamRows] = await Promise.all([
    Promise.all(
      datasets.data.items.map(async (dataset) =>
        datasetStatus(
          dataset,
          await recent(() =>
            listExtracts({ datasetId: dataset.id, pageSize: HISTORY, order: 'desc' }),
          ),
        ),
      ),
    ),
    Promise.all(
      streams.data.items.map(async (stream) =>
        streamStatus(
          stream,
          destinationName.get(stream.destination_id) ?? 'the service',
          await recent(() => listLoads({ streamId: stream.id, pageSize: HISTORY, order: 'desc' })),
        ),
      ),
    ),
  ]);
  return {
    ok: true,
    data: {
      providerId,
      provider: null,
      sources: sources.data.items.map(sourceStatus),
      datasets: datasetRows,
      streams: streamRows,
      features,
      readAt: new Date().toISOString(),
    },
  };
}
