import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startJobRunner } from '../jobs/job-runner';
import {
  createTableDataset,
  type Extract,
  startExtract,
  waitForExtract,
} from '../testing/extract-fixtures';
import { readLakeState, readPostgresTable } from '../testing/lake-state';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// (ext) POST /import/extracts/{id}/cancel: a queued extract never starts; a running one stops at its next checkpoint,
// keeping what it committed, and the next run resumes from there.
const ROWS = 6000;
const CHUNK_ROWS = 100;
let source: SourceDatabase;

beforeAll(async () => {
  source = await createSourceDatabase();
  await source.client.query(
    `create table cancelled (id bigint primary key, v text, updated_at timestamptz not null)`,
  );
  await source.client.query(
    `insert into cancelled select id, md5(id::text), '2026-01-01'::timestamptz + id * interval '1 ms' from generate_series(1, ${ROWS}) as id`,
  );
});
afterAll(() => source.drop());

type Cancelled = {
  status: number;
  text: string;
  body: {
    data: { extract: Extract & { cancel_requested_at: string | null; ended_at: string | null } };
    message: string;
    error?: { code: string };
  };
};
const cancel = (api: TestEngine, id: string, reason = 'the customer asked us to stop') =>
  api.request('POST', `/import/extracts/${id}/cancel`, undefined, {
    headers: {
      'x-inlet-actor': 'support:ada@saas.example',
      'x-inlet-reason': encodeURIComponent(reason),
    },
  }) as Promise<Cancelled>;

const dataset = (api: TestEngine) =>
  createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'cancelled' },
    type: 'dimension',
    dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
  });

/** The cache holds the source's rows exactly, each written once. */
async function expectExactCache(api: TestEngine, datasetId: string) {
  const lake = await readLakeState(api.engine, datasetId);
  const rows = await readPostgresTable(source.client, 'cancelled');
  expect(lake.live.size).toBe(rows.size);
  for (const [id, row] of rows) expect(lake.live.get(id), `row ${id}`).toEqual(row);
  expect(lake.versions).toBe(rows.size);
}

describe('cancelling an extract', () => {
  test(
    'queued: it never starts, the scheduler leaves the dataset for a period, and the cancel is audited with its reason',
    { timeout: 60_000 },
    async () => {
      // No job runner yet: the extract stays queued.
      const api = await startTestEngine();
      try {
        const { id: datasetId } = await dataset(api);
        const queued = await startExtract(api, datasetId);
        expect(queued.status).toBe('queued');
        const cancelled = await cancel(api, queued.id);
        expect(cancelled.status, cancelled.text).toBe(200);
        expect(cancelled.body.message).toBe('Extract cancelled.');
        expect(cancelled.body.data.extract).toMatchObject({
          status: 'cancelled',
          ended_at: expect.any(String),
          cancel_requested_at: expect.any(String),
          records_processed: 0,
        });
        const again = await cancel(api, queued.id);
        expect(again.status).toBe(409);
        expect(again.body.error?.code).toBe('not_cancellable');

        const runner = await startJobRunner(api.engine, {
          pollIntervalMs: 100,
          schedulerIntervalMs: 100,
        });
        try {
          await new Promise((resolve) => setTimeout(resolve, 1500));
        } finally {
          await runner.stop();
        }
        const extracts = (
          await api.request<{ data: { extracts: Extract[] } }>(
            'GET',
            `/import/extracts?dataset_id=${datasetId}`,
          )
        ).body.data.extracts;
        // Neither run by a worker nor replaced by the scheduler.
        expect(extracts.map((extract) => extract.status)).toEqual(['cancelled']);
        expect(
          (
            await api.engine.db.query(
              'select count(*)::int as n from dataset_files where dataset_id = $1',
              [datasetId],
            )
          ).rows[0].n,
        ).toBe(0);

        const logs = (
          await api.request<{
            data: {
              logs: {
                event_type: string;
                resource_id: string;
                reason: string;
                actor_label: string;
                object: { status: string };
              }[];
            };
          }>('GET', '/logs?event_type=IMPORT_EXTRACT_CANCEL')
        ).body.data.logs;
        expect(logs).toEqual([
          expect.objectContaining({
            resource_id: queued.id,
            reason: 'the customer asked us to stop',
            actor_label: 'support:ada@saas.example',
            object: expect.objectContaining({ status: 'cancelled' }),
          }),
        ]);
      } finally {
        await api.close();
      }
    },
  );

  test(
    'running: it stops at a checkpoint with what it committed, and the next run resumes there; the cache ends exact',
    { timeout: 60_000 },
    async () => {
      const api = await startTestEngine({
        jobs: { extract: { chunkRows: CHUNK_ROWS, lagSeconds: 0 } },
      });
      try {
        const { id: datasetId } = await dataset(api);
        const started = await startExtract(api, datasetId);
        // Once a few chunks are committed, ask it to stop.
        for (const deadline = Date.now() + 20_000; ;) {
          const extract = (
            await api.request<{ data: { extract: Extract } }>(
              'GET',
              `/import/extracts/${started.id}`,
            )
          ).body.data.extract;
          if (extract.progress.rows_read >= 3 * CHUNK_ROWS) break;
          if (
            Date.now() > deadline ||
            (extract.status !== 'running' && extract.status !== 'queued')
          )
            throw new Error(`extract not mid-way: ${JSON.stringify(extract)}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const asked = await cancel(api, started.id);
        expect(asked.status, asked.text).toBe(200);
        expect(asked.body.message).toBe(
          'Cancel requested: the extract stops at its next checkpoint.',
        );
        expect(asked.body.data.extract).toMatchObject({
          status: 'running',
          cancel_requested_at: expect.any(String),
        });

        const stopped = await waitForExtract(api, started.id);
        expect(stopped).toMatchObject({ status: 'cancelled', error: null });
        const read = stopped.progress.rows_read;
        expect(read).toBeGreaterThanOrEqual(3 * CHUNK_ROWS);
        expect(read).toBeLessThan(ROWS);
        // Committed: every row it counted is in the cache, with the cursor after them.
        expect(stopped.records_new_inserted).toBe(read);
        const committed = (
          await api.engine.db.query<{ n: number }>(
            'select coalesce(sum(row_count), 0)::int as n from dataset_files where dataset_id = $1',
            [datasetId],
          )
        ).rows[0]!.n;
        expect(committed).toBe(read);
        // Cancelled runs trigger no load and leave the schedule a period away.
        const state = (
          await api.engine.db.query<{ due: boolean }>(
            "select next_run_at > clock_timestamp() + interval '30 minutes' as due from dataset_state where dataset_id = $1",
            [datasetId],
          )
        ).rows[0]!;
        expect(state.due).toBe(true);

        const resumed = await waitForExtract(api, (await startExtract(api, datasetId)).id);
        expect(resumed).toMatchObject({ status: 'succeeded', records_new_inserted: ROWS - read });
        expect(resumed.progress.rows_read).toBe(ROWS - read);
        await expectExactCache(api, datasetId);
      } finally {
        await api.close();
      }
    },
  );
});
