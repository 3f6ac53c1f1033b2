// Streams through the Import API: a dataset mapped onto a destination, its previews and its loads.
import 'server-only';
import type { z } from 'zod';
import { requireCapability } from './capabilities';
import { type AuditNote, prequelFetch, type PrequelResult } from './client';
import { type Load, LoadSchema } from './contract/job';
import { type Preview, PreviewSchema } from './contract/records';
import { type StreamCreateSchema, StreamSchema } from './contract/stream';
import {
  crudEndpoints,
  listOfProvider,
  type MergePatch,
  type ProviderScope,
  type WriteOptions,
} from './crud';
import { dataEnvelope, type Page, type PageQuery } from './envelope';
import { jobEndpoints } from './job-endpoints';

export type StreamInput = z.input<typeof StreamCreateSchema>;

const streams = crudEndpoints<typeof StreamSchema, StreamInput>({
  key: 'stream',
  plural: 'streams',
  path: '/import/streams',
  schema: StreamSchema,
});
/**
 * Creating checks that every required record_schema field is mapped and every column exists, unless
 * `skipValidation`.
 */
export const createStream = streams.create;
export const getStream = streams.get;
export const updateStream = streams.update;
export const deleteStream = streams.remove;
export const listStreams = (query: PageQuery & ProviderScope = {}) =>
  listOfProvider(streams.list, query);

const streamPath = (id: string, action: string): `/${string}` =>
  `/import/streams/${encodeURIComponent(id)}/${action}`;
const preview = dataEnvelope(PreviewSchema);
const previewQuery = ({ skipValidation }: WriteOptions) => ({
  skip_validation: skipValidation ? 'true' : undefined,
});

/** Transforms cached records (1–100 ids) with a stream that is not saved yet; saves nothing. */
export function testStream(
  stream: StreamInput,
  recordIds: string[],
  options: WriteOptions = {},
): Promise<PrequelResult<Preview>> {
  return prequelFetch('/import/test-stream', preview, {
    method: 'POST',
    body: { stream, record_ids: recordIds },
    query: previewQuery(options),
  });
}

/**
 * Transforms cached records (1–50 ids) with a saved stream, or with unsaved `changes` merged over
 * it; saves nothing.
 */
export function testTransform(
  streamId: string,
  recordIds: string[],
  { changes, ...options }: WriteOptions & { changes?: MergePatch<StreamInput> } = {},
): Promise<PrequelResult<Preview>> {
  return prequelFetch(streamPath(streamId, 'test-transform'), preview, {
    method: 'POST',
    body: { record_ids: recordIds, ...(changes ? { stream: changes } : {}) },
    query: previewQuery(options),
  });
}

const loads = jobEndpoints({
  key: 'load',
  plural: 'loads',
  path: '/import/loads',
  schema: LoadSchema,
  parentFilter: 'stream_id',
  cancelling: 'cancelling a load',
});

/**
 * Starts a load of everything pending, or of `recordIds` only, or (ext, `redeliver`) of every
 * current record again; when one is already queued or running, that one comes back (a redelivery is
 * a 409 then). Audited with `actor` and `reason`.
 */
export async function startLoad(
  streamId: string,
  {
    recordIds,
    redeliver,
    actor,
    reason,
  }: { recordIds?: string[]; redeliver?: boolean } & AuditNote = {},
): Promise<PrequelResult<Load>> {
  if (redeliver) {
    const supported = await requireCapability('resync', 'redelivering every record');
    if (!supported.ok) return supported;
  }
  const body = redeliver ? { redeliver: 'all' } : recordIds ? { record_ids: recordIds } : {};
  return prequelFetch(streamPath(streamId, 'load'), loads.item, {
    method: 'POST',
    body,
    audit: { actor, reason },
  });
}

/**
 * (ext) Cancels a queued load, or asks a running one to stop before its next request
 * (`not_supported` without the extension). Audited with `actor` and `reason`.
 */
export const cancelLoad = loads.cancel;

/**
 * One page of loads, newest first unless `order` says otherwise; of one stream when `streamId` is
 * given.
 */
export function listLoads({ streamId, ...query }: PageQuery & { streamId?: string } = {}): Promise<
  PrequelResult<Page<Load>>
> {
  return loads.list(query, streamId);
}

export const getLoad = loads.get;
