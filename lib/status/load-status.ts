// One read of everything a provider's status page shows: datasets with their extracts, streams with their loads.
import 'server-only';
import type { SchemaDrift } from '@/lib/prequel/contract/dataset';
import type { Extract, Load } from '@/lib/prequel/contract/job';
import { getCapabilities } from '@/lib/prequel/capabilities';
import { type PrequelResult } from '@/lib/prequel/client';
import { listDatasets, listExtracts } from '@/lib/prequel/datasets';
import { listDestinations } from '@/lib/prequel/destinations';
import { fetchAllPages } from '@/lib/prequel/pagination';
import { listSources } from '@/lib/prequel/sources';
import { listLoads, listStreams } from '@/lib/prequel/streams';

const HISTORY = 20;

export type DatasetStatus = {
  id: string;
  name: string;
  type: 'dimension' | 'fact';
  frequencyMinutes: number;
  /** (ext) Mapped columns gone or retyped at the source; null when none (or the API does not say). */
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
  /** (ext) Records the endpoint could not take yet and when they are retried; null when none waits or the API does not say. */
  retry: { recordsWaiting: number; nextRetryAt: string | null } | null;
  loads: Load[];
};
export type SourceStatus = { id: string; name: string; vendor: string; isReachable: boolean | null };
/** (ext) What the Import API lets the pages do beyond the documented calls. */
export type StatusFeatures = { cancel: boolean; resync: boolean };
export type ProviderStatus = { providerId: string; sources: SourceStatus[]; datasets: DatasetStatus[]; streams: StreamStatus[]; features: StatusFeatures; readAt: string };

/** Newest first, as the API lists them. */
async function recent<T>(list: () => Promise<PrequelResult<{ items: T[] }>>): Promise<T[]> {
  const page = await list();
  return page.ok ? page.data.items : [];
}

export async function loadProviderStatus(providerId: string): Promise<PrequelResult<ProviderStatus>> {
  const scope = { providerId, pageSize: 100 };
  const [sources, datasets, streams, destinations, capabilities] = await Promise.all([
    listSources(scope),
    listDatasets(scope),
    listStreams(scope),
    fetchAllPages((cursor) => listDestinations({ cursor, pageSize: 100 }), { maxPages: 10 }),
    getCapabilities(),
  ]);
  if (!sources.ok) return sources;
  if (!datasets.ok) return datasets;
  if (!streams.ok) return streams;
  const destinationName = new Map(destinations.ok ? destinations.data.items.map((destination) => [destination.id, destination.name]) : []);
  const [datasetRows, streamRows] = await Promise.all([
    Promise.all(
      datasets.data.items.map(async (dataset) => ({
        id: dataset.id,
        name: dataset.name,
        type: dataset.type,
        frequencyMinutes: dataset.frequency_minutes,
        schemaDrift: dataset.schema_drift ?? null,
        extracts: await recent(() => listExtracts({ datasetId: dataset.id, pageSize: HISTORY, order: 'desc' })),
      })),
    ),
    Promise.all(
      streams.data.items.map(async (stream) => ({
        id: stream.id,
        name: stream.name,
        datasetId: stream.dataset_id,
        destinationId: stream.destination_id,
        destinationName: destinationName.get(stream.destination_id) ?? 'the service',
        isEnabled: stream.is_enabled,
        disabledReason: stream.disabled_reason ?? null,
        retry: stream.retry ? { recordsWaiting: stream.retry.records_waiting, nextRetryAt: stream.retry.next_retry_at } : null,
        loads: await recent(() => listLoads({ streamId: stream.id, pageSize: HISTORY, order: 'desc' })),
      })),
    ),
  ]);
  return {
    ok: true,
    data: {
      providerId,
      sources: sources.data.items.map((source) => ({ id: source.id, name: source.name, vendor: source.vendor, isReachable: source.is_reachable })),
      datasets: datasetRows,
      streams: streamRows,
      features: { cancel: capabilities.ok && capabilities.data.cancel, resync: capabilities.ok && capabilities.data.resync },
      readAt: new Date().toISOString(),
    },
  };
}
