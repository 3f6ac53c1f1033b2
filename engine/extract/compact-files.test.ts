import { existsSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openCachedRecords, readCachedRecord } from '../cache/cached-records';
import { openDatalakeForProvider } from '../datalake/open-datalake-for';
import { createTableDataset, customersDimension, extractNow } from '../testing/extract-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { COMPACT_AT, compactDatasetFiles, purgeSupersededFiles } from './compact-files';
import { runExtract } from './run-extract';
import { triggerExtract } from './trigger-extract';

let api: TestEngine;
let source: SourceDatabase;
const EXTRACT_OPTIONS = { chunkRows: 100, lagSeconds: 0 };

beforeAll(async () => {
  // No job runner: extracts run here (extractHere), and compactions only when called. Checkpoints
  // of 100 rows: an extract of 700 customers leaves 7 files.
  api = await startTestEngine();
  source = await createSourceDatabase({
    customers: 700,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
});
afterAll(async () => {
  await api.close();
  await source.drop();
});

/** Runs an extract of the dataset to its end, here. */
async function extractHere(datasetId: string) {
  const { extract } = await triggerExtract(api.engine.db, datasetId, 'api');
  await runExtract(api.engine, extract.id, { workerId: 'test', ...EXTRACT_OPTIONS });
  const { rows } = await api.engine.db.query(
    `select status, error, records_new_inserted::int, records_existing_updated::int,
       records_existing_unchanged::int, records_existing_deleted::int from extracts where id = $1`,
    [extract.id],
  );
  expect(rows[0].error).toBeNull();
  return rows[0];
}

async function liveFiles(datasetId: string, engine = api) {
  return (
    await engine.engine.db.query<{ key: string; version: string; min_version: string | null }>(
      `select key, version::text, min_version::text from dataset_files
       where dataset_id = $1 and superseded_at is null order by version`,
      [datasetId],
    )
  ).rows;
}

/** Every record whose latest version is in (after, upTo], as a load reads them: id → version. */
async function changed(datasetId: string, after: number, upTo: number) {
  const reader = await openCachedRecords(api.engine, datasetId);
  const found = new Map<string, number>();
  try {
    for await (const page of reader.changed({
      afterVersion: after,
      upToVersion: upTo,
      pageSize: 64,
    }))
      for (const record of page) {
        expect(found.has(record.recordId), `${record.recordId} read twice`).toBe(false);
        found.set(record.recordId, record.version);
      }
  } finally {
    reader.close();
  }
  return found;
}

const changeCustomers = (sql: string) =>
  source.client.query(`update customers set updated_at = clock_timestamp(), ${sql}`);

describe('compacting a dataset’s files', () => {
  test('loads read the same records before and after, and the next extract compares with it', async () => {
    const dataset = await createTableDataset(api, source, customersDimension);
    await extractHere(dataset.id);
    await changeCustomers(`plan = plan || '+' where id % 50 = 0`);
    await extractHere(dataset.id);
    const before = await liveFiles(dataset.id);
    expect(before).toHaveLength(COMPACT_AT);
    const latest = Number(before[before.length - 1]!.version);
    const ranges: [number, number][] = [
      [0, latest],
      [3, latest],
      [3, 6],
      [latest - 1, latest],
      [latest, latest],
    ];
    const expected = await Promise.all(ranges.map(([a, b]) => changed(dataset.id, a, b)));

    expect(await compactDatasetFiles(api.engine, dataset.id)).toEqual({ files: 8, rows: 700 });
    const after = await liveFiles(dataset.id);
    expect(after).toEqual([
      expect.objectContaining({ version: String(latest), min_version: before[0]!.version }),
    ]);
    for (const [index, [a, b]] of ranges.entries())
      expect(await changed(dataset.id, a, b), `(${a}, ${b}]`).toEqual(expected[index]);

    // Sorted by record id, in the order a lookup's row groups follow.
    const { provider_id } = (
      await api.engine.db.query<{ provider_id: string }>(
        'select provider_id from datasets where id = $1',
        [dataset.id],
      )
    ).rows[0]!;
    const store = await openDatalakeForProvider(api.engine, provider_id);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const ids = (
      await connection.runAndReadAll(
        `select _prequel_record_id from read_parquet('${await store.localPath(after[0]!.key)}')`,
      )
    )
      .getRows()
      .map((row) => String(row[0]));
    connection.closeSync();
    instance.closeSync();
    expect(ids).toEqual([...ids].sort());

    // The next extract classifies against the compacted file: nothing else changed.
    await changeCustomers(`plan = plan || '!' where id % 100 = 1`);
    await changeCustomers(`is_deleted = true where id = 7`);
    expect(await extractHere(dataset.id)).toMatchObject({
      records_existing_updated: 7,
      records_existing_deleted: 1,
      records_new_inserted: 0,
      records_existing_unchanged: 0,
    });
    const newest = await liveFiles(dataset.id);
    expect(newest).toHaveLength(2);
    expect(
      [...(await changed(dataset.id, latest, Number(newest[1]!.version))).keys()].sort(),
    ).toEqual(['1', '101', '201', '301', '401', '501', '601', '7'].sort());
  });

  test('superseded files stay for readers until purged; a record’s history stays readable', async () => {
    const dataset = await createTableDataset(api, source, customersDimension);
    await extractHere(dataset.id);
    const firstExtracted = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await changeCustomers(`plan = 'changed' where id = 3`);
    await extractHere(dataset.id);
    // The reader opened before the compaction reads on after it.
    const reader = await openCachedRecords(api.engine, dataset.id);
    expect(await compactDatasetFiles(api.engine, dataset.id, { minFiles: 2 })).not.toBeNull();
    expect((await reader.byIds(['3']))[0]?.data.plan).toBe('changed');
    reader.close();

    const asFirst = await readCachedRecord(api.engine, dataset.id, '3', firstExtracted);
    expect(asFirst?.record.data.plan).not.toBe('changed');
    expect(asFirst?.extractedAt).not.toBeNull();
    expect((await readCachedRecord(api.engine, dataset.id, '3'))?.record.data.plan).toBe('changed');

    const superseded = (
      await api.engine.db.query<{ key: string; provider_id: string }>(
        `select f.key, d.provider_id from dataset_files f join datasets d on d.id = f.dataset_id
         where f.dataset_id = $1 and f.superseded_at is not null`,
        [dataset.id],
      )
    ).rows;
    expect(superseded.length).toBeGreaterThan(1);
    const store = await openDatalakeForProvider(api.engine, superseded[0]!.provider_id);
    const paths = await Promise.all(superseded.map((file) => store.localPath(file.key)));
    // Younger than the grace period: kept.
    expect(await purgeSupersededFiles(api.engine)).toBe(0);
    expect(await purgeSupersededFiles(api.engine, 0)).toBeGreaterThanOrEqual(superseded.length);
    for (const file of paths) expect(existsSync(file)).toBe(false);

    // Live reads never needed them; the history as of the first extract reads the compacted file.
    expect((await readCachedRecord(api.engine, dataset.id, '3'))?.record.data.plan).toBe('changed');
    expect(
      (await readCachedRecord(api.engine, dataset.id, '4', firstExtracted))?.record,
    ).toBeTruthy();
  });

  test('an extract that leaves a dataset with enough files has it compacted by the job runner', async () => {
    const running = await startTestEngine({ jobs: { extract: EXTRACT_OPTIONS } });
    try {
      const dataset = await createTableDataset(running, source, customersDimension);
      await extractNow(running, dataset.id);
      await changeCustomers(`plan = plan || '+' where id % 70 = 0`);
      await extractNow(running, dataset.id);
      const deadline = Date.now() + 20_000;
      while ((await liveFiles(dataset.id, running)).length >= COMPACT_AT && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await liveFiles(dataset.id, running)).toHaveLength(1);
    } finally {
      await running.close();
    }
  });
});
