// Datasets through the Import API: the tables a provider imports, their extracts and their cached
// records.
import 'server-only';
import type { z } from 'zod';
import { requireCapability } from './capabilities';
import { type AuditNote, prequelFetch, type PrequelResult } from './client';
import { type DatasetCreateSchema, DatasetSchema } from './contract/dataset';
import { type Extract, ExtractSchema } from './contract/job';
import {
  type RandomSample,
  RandomSampleSchema,
  type RecordLineage,
  RecordLineageSchema,
} from './contract/records';
import { crudEndpoints, listOfProvider, type ProviderScope } from './crud';
import { dataEnvelope, itemEnvelope, type Page, type PageQuery } from './envelope';
import { jobEndpoints } from './job-endpoints';

const datasets = crudEndpoints<typeof DatasetSchema, z.input<typeof DatasetCreateSchema>>({
  key: 'dataset',
  plural: 'datasets',
  path: '/import/datasets',
  schema: DatasetSchema,
});
export const createDataset = datasets.create;
export const getDataset = datasets.get;
export const updateDataset = datasets.update;
export const deleteDataset = datasets.remove;
export const listDatasets = (query: PageQuery & ProviderScope = {}) =>
  listOfProvider(datasets.list, query);

const datasetPath = (id: string, action: string): `/${string}` =>
  `/import/datasets/${encodeURIComponent(id)}/${action}`;
const extracts = jobEndpoints({
  key: 'extract',
  plural: 'extracts',
  path: '/import/extracts',
  schema: ExtractSchema,
  parentFilter: 'dataset_id',
  cancelling: 'cancelling an extract',
});

/**
 * Starts an extract now; when one is already queued or running, that one comes back instead.
 * `fullRefresh` (ext) reads the whole table again (`not_supported` without the extension; a 409
 * while an ordinary extract runs). Audited with `actor` and `reason`.
 */
export async function startExtract(
  datasetId: string,
  { fullRefresh, actor, reason }: { fullRefresh?: boolean } & AuditNote = {},
): Promise<PrequelResult<Extract>> {
  if (fullRefresh) {
    const supported = await requireCapability('resync', 'full refreshes');
    if (!supported.ok) return supported;
  }
  return prequelFetch(datasetPath(datasetId, 'extract'), extracts.item, {
    method: 'POST',
    ...(fullRefresh ? { body: { full_refresh: true } } : {}),
    audit: { actor, reason },
  });
}

/**
 * (ext) Cancels a queued extract, or asks a running one to stop at its next checkpoint
 * (`not_supported` without the extension). Audited with `actor` and `reason`.
 */
export const cancelExtract = extracts.cancel;

/**
 * One page of extracts, newest first unless `order` says otherwise; of one dataset when `datasetId`
 * is given.
 */
export function listExtracts({
  datasetId,
  ...query
}: PageQuery & { datasetId?: string } = {}): Promise<PrequelResult<Page<Extract>>> {
  return extracts.list(query, datasetId);
}

export const getExtract = extracts.get;

const sample = dataEnvelope(RandomSampleSchema);

/** Up to `sampleSize` (1–1000) cached records picked at random, each with its record id. */
export function sampleRecords(
  datasetId: string,
  sampleSize: number,
): Promise<PrequelResult<RandomSample>> {
  return prequelFetch(datasetPath(datasetId, 'random-sample'), sample, {
    method: 'POST',
    body: { sample_size: sampleSize },
  });
}

const lineage = itemEnvelope('record', RecordLineageSchema);

/**
 * One record at each stage (extracted, transformed, validated, delivered), now or as of a past
 * time.
 */
export function getRecordLineage(
  datasetId: string,
  recordId: string,
  { asOf }: { asOf?: string } = {},
): Promise<PrequelResult<RecordLineage>> {
  return prequelFetch(datasetPath(datasetId, `records/${encodeURIComponent(recordId)}`), lineage, {
    query: { as_of: asOf },
  });
}
