import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createTableDataset,
  type Extract,
  extractNow,
  waitForExtract,
} from '../testing/extract-fixtures';
import { readLakeState, readPostgresTable } from '../testing/lake-state';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// (ext) POST /import/datasets/{id}/extract {"full_refresh": true}: the whole table is read again, so changes an
// incremental run cannot see (a row edited without touching its last-modified column) are found, and so are hard
// deletes where the dataset asks for them.
const ROWS = 500;
let source: SourceDatabase;

beforeAll(async () => {
  source = await createSourceDatabase();
  await source.client.query(
    `create table refreshed (id bigint primary key, v text, updated_at timestamptz not null)`,
  );
  await source.client.query(
    `insert into refreshed select id, 'v' || id, '2026-01-01'::timestamptz + id * interval '1 ms' from generate_series(1, ${ROWS}) as id`,
  );
});
afterAll(() => source.drop());

type ExtractRead = Extract & { full_refresh: boolean };
const fullRefresh = (api: TestEngine, datasetId: string, headers: Record<string, string> = {}) =>
  api.request<{ data: { extract: ExtractRead }; error?: { code: string } }>(
    'POST',
    `/import/datasets/${datasetId}/extract`,
    { full_refresh: true },
    { headers },
  );

const refreshedDataset = (api: TestEngine) =>
  createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'refreshed' },
    type: 'dimension',
    dimension: {
      primary_key_column: 'id',
      last_modified_column: 'updated_at',
      detect_hard_deletes: true,
    },
  });

describe('a full refresh', () => {
  test(
    'finds the edits an incremental run cannot see and the hard deletes, and leaves the cache exact',
    { timeout: 60_000 },
    async () => {
      const api = await startTestEngine({ jobs: { extract: { chunkRows: 100, lagSeconds: 0 } } });
      try {
        const { id: datasetId } = await refreshedDataset(api);
        expect(await extractNow(api, datasetId)).toMatchObject({ records_new_inserted: ROWS });
        // Edited behind the cursor's back (updated_at untouched), and deleted outright.
        await source.client.query(`update refreshed set v = 'edited' where id between 11 and 20`);
        await source.client.query(`delete from refreshed where id between 491 and 495`);
        const incremental = await extractNow(api, datasetId);
        expect(incremental).toMatchObject({
          records_existing_updated: 0,
          records_existing_deleted: 5,
        });
        expect((await readLakeState(api.engine, datasetId)).live.get('11')?.v).toBe('v11');

        await source.client.query(`delete from refreshed where id between 1 and 2`);
        const asked = await fullRefresh(api, datasetId, {
          'x-inlet-reason': 'the%20customer%20restored%20a%20backup',
        });
        expect(asked.status, asked.text).toBe(201);
        expect(asked.body.data.extract.full_refresh).toBe(true);
        const refreshed = await waitForExtract(api, asked.body.data.extract.id);
        expect(refreshed).toMatchObject({
          status: 'succeeded',
          records_processed: ROWS - 7,
          records_new_inserted: 0,
          records_existing_updated: 10,
          records_existing_unchanged: ROWS - 17,
          records_existing_deleted: 2,
        });

        const lake = await readLakeState(api.engine, datasetId);
        const rows = await readPostgresTable(source.client, 'refreshed');
        expect(lake.live.size).toBe(rows.size);
        for (const [id, row] of rows) expect(lake.live.get(id), `row ${id}`).toEqual(row);
        expect([...lake.deleted].sort()).toEqual(['1', '2', '491', '492', '493', '494', '495']);
        const logs = (
          await api.request<{
            data: {
              logs: { resource_id: string; reason: string; object: { full_refresh: boolean } }[];
            };
          }>('GET', '/logs?event_type=IMPORT_EXTRACT_REQUEST')
        ).body.data.logs;
        expect(logs).toContainEqual(
          expect.objectContaining({
            resource_id: refreshed.id,
            reason: 'the customer restored a backup',
            object: expect.objectContaining({ full_refresh: true }),
          }),
        );

        // The cursor is back where an incremental run left it: the next run reads nothing again.
        const after = await extractNow(api, datasetId);
        expect(after).toMatchObject({ records_processed: 0, records_existing_updated: 0 });
      } finally {
        await api.close();
      }
    },
  );

  test('asked while an extract is queued, that extract becomes the full refresh; while one runs, it is refused', async () => {
    // No job runner: the extract stays queued.
    const api = await startTestEngine();
    try {
      const { id: datasetId } = await refreshedDataset(api);
      const queued = (
        await api.request<{ data: { extract: ExtractRead } }>(
          'POST',
          `/import/datasets/${datasetId}/extract`,
        )
      ).body.data.extract;
      expect(queued.full_refresh).toBe(false);
      const joined = await fullRefresh(api, datasetId);
      expect(joined.body.data.extract).toMatchObject({ id: queued.id, full_refresh: true });

      await api.engine.db.query(
        `update extracts set status = 'running', full_refresh = false where id = $1`,
        [queued.id],
      );
      const refused = await fullRefresh(api, datasetId);
      expect(refused.status).toBe(409);
      expect(refused.body.error?.code).toBe('extract_running');
    } finally {
      await api.close();
    }
  });
});
