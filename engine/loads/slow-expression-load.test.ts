import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import type { PathSummary } from '../../scripts/receiver/receiver-store';
import { create } from '../testing/fixtures';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { type Load, loadAndWait } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// One tenant saves a stream whose expression runs out of its 100 ms on every record, in the load thread every
// tenant's loads share. Its load must stop within seconds, and another tenant's load must not wait for it.
const HOSTILE_RECORDS = 1200;
const slowExpression = 'string(len(map(1..1000000, reverse(1..1000000))))';
const recordSchema = {
  type: 'object',
  required: ['id', 'email'],
  properties: { id: { type: 'string' }, email: { type: 'string' } },
};
const idField = { target_field: 'id', field_type: 'field', column: { name: 'id' } };
const emailField = { target_field: 'email', field_type: 'field', column: { name: 'email' } };
const emailExpression = (expr: string) => ({
  target_field: 'email',
  field_type: 'expression',
  expression: { expr },
});

let api: TestEngine;
let hostileSource: SourceDatabase;
let politeSource: SourceDatabase;
let receiver: Receiver;
/** Two tenants (providers), each with a dataset of its own. */
let hostileDataset: { id: string };
let politeDataset: { id: string };

beforeAll(async () => {
  // Two loads at once (the job runner's default concurrency), as in production.
  api = await startTestEngine({ jobs: true });
  const table = {
    table: { source_table_namespace: 'public', source_table_name: 'customers' },
    type: 'dimension',
    dimension: { primary_key_column: 'id' },
  };
  hostileSource = await createSourceDatabase({
    customers: HOSTILE_RECORDS,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  politeSource = await createSourceDatabase({
    customers: 30,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  hostileDataset = await createTableDataset(api, hostileSource, table);
  politeDataset = await createTableDataset(api, politeSource, table);
  await extractNow(api, hostileDataset.id);
  await extractNow(api, politeDataset.id);
  receiver = createReceiver({ engineUrl: api.baseUrl });
  await receiver.start();
}, 120_000);
afterAll(async () => {
  await receiver?.stop();
  await api.close();
  await hostileSource.drop();
  await politeSource.drop();
});

/** A stream, loaded by hand only, batching json to the receiver at `path`. */
async function batchStream(datasetId: string, path: string, mappings: unknown[]) {
  const destination = await create(
    api,
    '/import/destinations',
    {
      destination: {
        name: path,
        type: 'webhook_batch',
        record_schema: recordSchema,
        webhook_batch: {
          request_template: { method: 'POST', uri: `${receiver.url}${path}` },
          format: 'json',
          max_records_per_batch: 1000,
        },
      },
    },
    'destination',
  );
  return create(
    api,
    '/import/streams',
    {
      stream: {
        name: path,
        dataset_id: datasetId,
        destination_id: destination.id,
        is_enabled: false,
        mappings,
      },
    },
    'stream',
  );
}

type TimedLoad = Load & { started_at: string | null; ended_at: string | null };

async function readLoad(id: string): Promise<TimedLoad> {
  return (await api.request<{ data: { load: TimedLoad } }>('GET', `/import/loads/${id}`)).body.data
    .load;
}

async function startLoad(streamId: string): Promise<string> {
  const started = await api.request<{ data: { load: Load } }>(
    'POST',
    `/import/streams/${streamId}/load`,
    {},
  );
  expect(started.status, started.text).toBe(200);
  return started.body.data.load.id;
}

async function waitForLoad(
  id: string,
  until: (load: TimedLoad) => boolean,
  timeoutMs: number,
): Promise<TimedLoad> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const load = await readLoad(id);
    if (until(load)) return load;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`load ${id} did not get there within ${timeoutMs} ms`);
}

const ended = (load: TimedLoad) => load.status === 'succeeded' || load.status === 'failed';

/** What the receiver holds for one path of one tenant. */
function received(providerId: unknown, path: string): Pick<PathSummary, 'records' | 'latestKeys'> {
  const summary = receiver.store
    .providers()
    .find((provider) => provider.provider === providerId)
    ?.paths.find((at) => at.path === path);
  return { records: summary?.records ?? 0, latestKeys: summary?.latestKeys ?? 0 };
}

async function ledgerRows(streamId: string): Promise<number> {
  return Number(
    (
      await api.engine.db.query<{ n: string }>(
        'select count(*)::text as n from stream_records where stream_id = $1',
        [streamId],
      )
    ).rows[0]!.n,
  );
}

describe('a stream whose expression is too slow', () => {
  test(
    "fails its load within seconds, blaming the mapping, and another tenant's load completes meanwhile",
    { timeout: 60_000 },
    async () => {
      const hostile = await batchStream(hostileDataset.id, '/hostile', [
        idField,
        emailExpression(slowExpression),
      ]);
      const polite = await batchStream(politeDataset.id, '/polite', [idField, emailField]);

      // The same load alone, on a stream of its own, once the thread has started (as it has once an engine runs loads).
      await loadAndWait(
        api,
        (await batchStream(politeDataset.id, '/warm-up', [idField, emailField])).id,
        30_000,
      );
      const alone = await batchStream(politeDataset.id, '/alone', [idField, emailField]);
      const aloneStarted = performance.now();
      expect(await loadAndWait(api, alone.id, 30_000)).toMatchObject({
        status: 'succeeded',
        records_loaded: 30,
      });
      const aloneMs = performance.now() - aloneStarted;

      const hostileStarted = performance.now();
      const hostileLoad = await startLoad(hostile.id);
      await waitForLoad(hostileLoad, (load) => load.status === 'running', 10_000);
      // Well into its first page's transforms.
      await new Promise((resolve) => setTimeout(resolve, 300));

      const politeStarted = performance.now();
      const politeLoad = await loadAndWait(api, polite.id, 30_000);
      const politeMs = performance.now() - politeStarted;
      const failed = await waitForLoad(hostileLoad, ended, 30_000);
      const hostileMs = performance.now() - hostileStarted;
      const politeRow = await readLoad(politeLoad.id);
      console.info(
        `the hostile load failed after ${Math.round(hostileMs)} ms; the other tenant's load took ${Math.round(politeMs)} ms (${Math.round(aloneMs)} ms alone)`,
      );

      expect(politeLoad).toMatchObject({
        status: 'succeeded',
        records_loaded: 30,
        records_errored: 0,
      });
      // It ran while the hostile load held its page in the thread, not after.
      expect(Date.parse(politeRow.started_at!)).toBeLessThan(Date.parse(failed.ended_at!));
      expect(politeMs).toBeLessThan(5_000);

      // Not the ~120 s 1,200 records at 100 ms each would take.
      expect(hostileMs).toBeLessThan(10_000);
      expect(failed).toMatchObject({
        status: 'failed',
        records_loaded: 0,
        error: {
          error_code: 'expression_too_slow',
          blame: 'configuration',
          title: 'The expression of mapping "email" is too slow',
        },
      });
      expect(failed.error!.message).toMatch(
        /^The expression of mapping "email" exceeded its time budget \(100 ms a record\) on \d+ of \d+ records, more than 2 s together, so the load stopped/,
      );
      expect(failed.error!.message).toContain('Simplify the expression');
      // Nothing was sent or recorded: every record waits for the next load.
      expect(received(hostile.provider_id, '/hostile')).toEqual({ records: 0, latestKeys: 0 });
      expect(await ledgerRows(hostile.id)).toBe(0);
    },
  );

  test(
    'records delivered before the load stopped stay delivered; once the mapping is fixed the next load sends the rest, each once',
    { timeout: 60_000 },
    async () => {
      // Slow only past the first page (1,000 records, read in id order).
      const stream = await batchStream(hostileDataset.id, '/fixed', [
        idField,
        emailExpression(`id > 1000 ? ${slowExpression} : email`),
      ]);
      const first = await loadAndWait(api, stream.id, 30_000);
      expect(first).toMatchObject({
        status: 'failed',
        records_loaded: 1000,
        error: { error_code: 'expression_too_slow', blame: 'configuration' },
      });
      expect(received(stream.provider_id, '/fixed')).toEqual({ records: 1000, latestKeys: 1000 });

      const patched = await api.request('PATCH', `/import/streams/${stream.id}`, {
        stream: { mappings: [idField, emailField] },
      });
      expect(patched.status, patched.text).toBe(200);
      const second = await loadAndWait(api, stream.id, 30_000);
      expect(second).toMatchObject({
        status: 'succeeded',
        records_loaded: HOSTILE_RECORDS - 1000,
        records_errored: 0,
        error: null,
      });
      expect(received(stream.provider_id, '/fixed')).toEqual({
        records: HOSTILE_RECORDS,
        latestKeys: HOSTILE_RECORDS,
      });
    },
  );
});
