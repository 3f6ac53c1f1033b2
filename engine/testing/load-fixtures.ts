// A record destination and a stream over the API, and a load run to its end, for delivery tests.
import { expect } from 'vitest';
import { create } from './fixtures';
import type { TestEngine } from './test-engine';

export type Load = {
  id: string;
  status: string;
  records_processed: number;
  records_loaded: number;
  records_errored: number;
  error: { error_code: string; blame: string; message: string } | null;
};

/**
 * A webhook_record destination posting `{id, email}` to `uri`, and a stream of the dataset to it.
 */
export async function recordStream(
  api: TestEngine,
  options: {
    datasetId: string;
    uri: string;
    enabled?: boolean;
    limits?: { max_records_per_minute?: number; max_concurrency?: number };
  },
) {
  const destination = await create(
    api,
    '/import/destinations',
    {
      destination: {
        name: 'endpoint under test',
        type: 'webhook_record',
        record_schema: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string' }, email: { type: 'string' } },
        },
        webhook_record: { request_template: { method: 'POST', uri: options.uri } },
        ...options.limits,
      },
    },
    'destination',
  );
  return create(
    api,
    '/import/streams',
    {
      stream: {
        name: 'to the endpoint',
        dataset_id: options.datasetId,
        destination_id: destination.id,
        // Disabled unless asked: the loads of a test are then the ones it starts by hand.
        is_enabled: options.enabled ?? false,
        mappings: [
          { target_field: 'id', field_type: 'field', column: { name: 'id' } },
          { target_field: 'email', field_type: 'field', column: { name: 'email' } },
        ],
      },
    },
    'stream',
  );
}

/**
 * Starts a load of the stream (of `recordIds` only, if given) and returns it once it has succeeded
 * or failed.
 */
export async function loadAndWait(
  api: TestEngine,
  streamId: string,
  timeoutMs = 30_000,
  recordIds?: string[],
): Promise<Load> {
  const started = await api.request<{ data: { load: Load } }>(
    'POST',
    `/import/streams/${streamId}/load`,
    recordIds ? { record_ids: recordIds } : {},
  );
  expect(started.status, started.text).toBe(200);
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const load = (
      await api.request<{ data: { load: Load } }>(
        'GET',
        `/import/loads/${started.body.data.load.id}`,
      )
    ).body.data.load;
    if (load.status === 'succeeded' || load.status === 'failed') return load;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`load of stream ${streamId} did not finish within ${timeoutMs} ms`);
}
