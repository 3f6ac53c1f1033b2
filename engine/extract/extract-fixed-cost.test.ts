import { renameSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDatalakeForProvider } from '../datalake/open-datalake-for';
import { createTableDataset, customersDimension, extractNow } from '../testing/extract-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

let api: TestEngine;
let source: SourceDatabase;

beforeAll(async () => {
  // No lag: a run after no change reads no row, as an hourly run of a quiet table does.
  api = await startTestEngine({ jobs: { extract: { chunkRows: 500, lagSeconds: 0 } } });
  source = await createSourceDatabase({
    customers: 1200,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
});
afterAll(async () => {
  await api.close();
  await source.drop();
});

/** The local paths of a dataset's cached Parquet files. */
async function cachedFiles(datasetId: string): Promise<string[]> {
  const { rows } = await api.engine.db.query<{ key: string; provider_id: string }>(
    `select f.key, d.provider_id from dataset_files f join datasets d on d.id = f.dataset_id ` +
      `where f.dataset_id = $1`,
    [datasetId],
  );
  const store = await openDatalakeForProvider(api.engine, rows[0]!.provider_id);
  return Promise.all(rows.map((row) => store.localPath(row.key)));
}

/** The source connections the engine holds open between extracts: pid and state. */
async function engineConnections() {
  return (
    await source.client.query<{ pid: number; state: string }>(
      `select pid, state from pg_stat_activity where datname = $1 and application_name = 'inlet'`,
      [source.name],
    )
  ).rows;
}

test('the next extract of a source reuses the connection the last one left idle', async () => {
  const dataset = await createTableDataset(api, source, customersDimension);
  await extractNow(api, dataset.id);
  const [kept, ...others] = await engineConnections();
  expect(others).toEqual([]);
  expect(kept).toMatchObject({ state: 'idle' });

  await extractNow(api, dataset.id);
  expect(await engineConnections()).toEqual([kept]);

  // Closed by the server while idle: the next extract connects afresh and succeeds.
  await source.client.query('select pg_terminate_backend($1)', [kept!.pid]);
  await source.client.query(
    `update customers set plan = plan || '+', updated_at = clock_timestamp() ` +
      `where id in (select id from customers order by id desc limit 2)`,
  );
  expect(await extractNow(api, dataset.id)).toMatchObject({ records_existing_updated: 2 });
  const [fresh] = await engineConnections();
  expect(fresh?.pid).not.toBe(kept!.pid);
});

test('an extract that finds nothing new reads none of the cached files', async () => {
  const dataset = await createTableDataset(api, source, customersDimension);
  expect(await extractNow(api, dataset.id)).toMatchObject({ records_new_inserted: 1200 });
  const files = await cachedFiles(dataset.id);
  expect(files.length).toBeGreaterThan(1);

  // Were the quiet run to open the cache (or download it, from S3), it would fail here.
  for (const file of files) renameSync(file, `${file}.away`);
  const quiet = await extractNow(api, dataset.id);
  expect(quiet).toMatchObject({ records_processed: 0, records_existing_unchanged: 0 });
  for (const file of files) renameSync(`${file}.away`, file);

  // A run that does find changes compares them with the cache, exactly.
  await source.client.query(
    `update customers set plan = plan || '+', updated_at = clock_timestamp() ` +
      `where id in (select id from customers order by id limit 3)`,
  );
  expect(await extractNow(api, dataset.id)).toMatchObject({
    records_processed: 3,
    records_existing_updated: 3,
    records_new_inserted: 0,
  });
});
