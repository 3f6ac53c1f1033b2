import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createTableDataset,
  customersDimension,
  extractNow,
  startExtract,
  waitForExtract,
} from '../testing/extract-fixtures';
import { readLakeState, readPostgresTable } from '../testing/lake-state';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

let api: TestEngine;
let source: SourceDatabase;

beforeAll(async () => {
  api = await startTestEngine({ jobs: { extract: { chunkRows: 500, lagSeconds: 30 } } });
  source = await createSourceDatabase({
    customers: 2000,
    accountsPerCustomer: 0.5,
    ordersPerCustomer: 1,
    eventsPerCustomer: 0,
  });
});
afterAll(async () => {
  await api.close();
  await source.drop();
});

async function expectExact(
  datasetId: string,
  table: string,
  where = 'true',
  isDeletedColumn?: string,
) {
  const lake = await readLakeState(api.engine, datasetId);
  const rows = await readPostgresTable(source.client, table, 'id', where);
  for (const [id, row] of rows) {
    if (isDeletedColumn && row[isDeletedColumn] === 't')
      expect(
        lake.deleted.has(id) || lake.live.get(id)?.[isDeletedColumn] === 't',
        `row ${id} deleted`,
      ).toBe(true);
    else expect(lake.live.get(id), `row ${id}`).toEqual(row);
  }
  const sourceIds = new Set(rows.keys());
  for (const id of lake.live.keys())
    expect(sourceIds.has(id), `cached ${id} exists at the source`).toBe(true);
  return lake;
}

describe('dimension extracts with a last-modified column', () => {
  test('cache every row exactly, then only what changed', async () => {
    const dataset = await createTableDataset(api, source, customersDimension);
    const first = await extractNow(api, dataset.id);
    const softDeleted = Number(
      (await source.client.query(`select count(*) from customers where is_deleted`)).rows[0].count,
    );
    expect(first).toMatchObject({
      records_processed: 2000,
      records_new_inserted: 2000,
      records_errored: 0,
    });
    expect(first.progress.rows_read).toBe(2000);
    const lake = await expectExact(dataset.id, 'customers', 'true', 'is_deleted');
    expect(lake.live.size + lake.deleted.size).toBe(2000);
    expect(lake.deleted.size).toBe(softDeleted);
    expect(softDeleted).toBeGreaterThan(0);

    // Nothing changed: the lag window is re-read and found unchanged.
    const idle = await extractNow(api, dataset.id);
    expect(idle).toMatchObject({
      records_new_inserted: 0,
      records_existing_updated: 0,
      records_existing_deleted: 0,
    });

    await source.client.query(
      `update customers set full_name = full_name || ' ✓', updated_at = clock_timestamp() where id in (select id from customers where not is_deleted order by id limit 25)`,
    );
    await source.client.query(
      `update customers set is_deleted = true, updated_at = clock_timestamp() where id in (select id from customers where not is_deleted order by id desc limit 5)`,
    );
    await source.client
      .query(`insert into customers (id, email, full_name, country, plan, signup_at, updated_at, is_deleted, notes, lifetime_value, external_ref, attributes)
      select id, 'new' || id || '@example.com', 'Nouvelle Cliente ' || id, 'FR', 'pro', clock_timestamp(), clock_timestamp(), false, null, 1.5, 9007199254740993 + id, '{"new": true}'
      from generate_series(100001, 100007) as id`);
    const second = await extractNow(api, dataset.id);
    expect(second).toMatchObject({
      records_new_inserted: 7,
      records_existing_updated: 25,
      records_existing_deleted: 5,
    });
    await expectExact(dataset.id, 'customers', 'true', 'is_deleted');
  });

  test('a storm of identical timestamps across checkpoints loses and repeats nothing', async () => {
    await source.client.query(
      `create table ties (id bigint primary key, v text, updated_at timestamptz not null)`,
    );
    await source.client.query(`create index on ties (updated_at, id)`);
    await source.client.query(
      `insert into ties select id, 'v' || id, '2026-01-01 00:00:00.000001+00' from generate_series(1, 3000) as id`,
    );
    await source.client.query(
      `insert into ties select id, 'w' || id, '2026-01-01 00:00:00.000002+00' from generate_series(3001, 3100) as id`,
    );
    const dataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'ties' },
      type: 'dimension',
      dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
    });
    const first = await extractNow(api, dataset.id);
    expect(first).toMatchObject({ records_new_inserted: 3100, records_errored: 0 });
    const lake = await expectExact(dataset.id, 'ties');
    // One version per record: no chunk re-read another's rows.
    expect(lake.versions).toBe(3100);
  });

  test('a row committed late by a long transaction is read by a later run', async () => {
    await source.client.query(
      `create table late (id bigint primary key, v text, updated_at timestamptz not null)`,
    );
    await source.client.query(
      `insert into late select id, 'v', clock_timestamp() - interval '1 hour' from generate_series(1, 10) as id`,
    );
    const dataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'late' },
      type: 'dimension',
      dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
    });
    await extractNow(api, dataset.id);

    const { default: pg } = await import('pg');
    const writer = new pg.Client({
      ...source.postgres,
      user: source.postgres.password_auth.username,
      password: source.postgres.password_auth.password,
    });
    await writer.connect();
    await writer.query('begin');
    // now() is the transaction's start: the row will carry a timestamp from before the next extract runs.
    await writer.query(`update late set v = 'late', updated_at = now() where id = 3`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = await extractNow(api, dataset.id);
    expect(during.records_existing_updated).toBe(0);
    await writer.query('commit');
    await writer.end();

    const after = await extractNow(api, dataset.id);
    expect(after.records_existing_updated).toBe(1);
    expect((await readLakeState(api.engine, dataset.id)).live.get('3')?.v).toBe('late');
  });

  test('microsecond timestamps, infinity and BC dates round-trip and the keyset loop ends', async () => {
    await source.client.query(
      `create table precise (id bigint primary key, updated_at timestamptz not null, happened date, amount numeric, big bigint)`,
    );
    await source.client.query(`insert into precise values
      (1, '2026-03-29 00:59:59.999999+00', '0044-03-15 BC', 0.1, 9223372036854775807),
      (2, '2026-03-29 01:00:00.000001+00', '2026-03-29', 12345678901234567890.123456789012, -9223372036854775808),
      (3, '2026-03-29 01:00:00.000001+00', null, 'NaN', 9007199254740993),
      (4, 'infinity', '2026-10-25', 1e-20, 0),
      (5, '-infinity', null, null, null),
      (6, '1970-01-01 00:00:00+00', 'infinity', -0.0, 1)`);
    const dataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'precise' },
      type: 'dimension',
      dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
    });
    const first = await extractNow(api, dataset.id);
    expect(first.records_new_inserted).toBe(6);
    await expectExact(dataset.id, 'precise');
    const again = await extractNow(api, dataset.id);
    expect(again).toMatchObject({ records_new_inserted: 0, records_existing_updated: 0 });

    const sample = await api.request<{ data: { records: Record<string, unknown>[] } }>(
      'POST',
      `/import/datasets/${dataset.id}/random-sample`,
      { sample_size: 10 },
    );
    const byId = new Map(sample.body.data.records.map((record) => [String(record.id), record]));
    expect(byId.get('1')).toMatchObject({
      updated_at: '2026-03-29T00:59:59.999999Z',
      big: '9223372036854775807',
      amount: '0.1',
    });
    expect(byId.get('3')).toMatchObject({ big: '9007199254740993', _prequel_record_id: '3' });
  });
});

describe('other dataset shapes', () => {
  test('a dimension without a last-modified column is read in full and merged by content', async () => {
    const dataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'accounts' },
      type: 'dimension',
      dimension: { primary_key_column: 'id' },
    });
    const first = await extractNow(api, dataset.id);
    const count = Number(
      (await source.client.query('select count(*) from accounts')).rows[0].count,
    );
    expect(first.records_new_inserted).toBe(count);
    await source.client.query(
      `update accounts set status = 'frozen' where id in (select id from accounts order by id limit 3)`,
    );
    const second = await extractNow(api, dataset.id);
    expect(second).toMatchObject({
      records_new_inserted: 0,
      records_existing_updated: 3,
      records_existing_unchanged: count - 3,
    });
    await expectExact(dataset.id, 'accounts');
  });

  test('facts are append-only: a changed order is not re-read', async () => {
    const dataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'orders' },
      type: 'fact',
      fact: { primary_key_column: 'id', created_at_column: 'created_at' },
    });
    const first = await extractNow(api, dataset.id);
    expect(first.records_new_inserted).toBeGreaterThan(0);
    await source.client.query(
      `insert into orders (id, customer_id, created_at, amount, currency, items, status) values (999999, 1, clock_timestamp(), 10.00, 'EUR', '[]', 'paid')`,
    );
    const second = await extractNow(api, dataset.id);
    expect(second).toMatchObject({ records_new_inserted: 1, records_existing_updated: 0 });
  });

  test('hard deletes become tombstones when reconciliation is on', async () => {
    await source.client.query(
      `create table doomed (id bigint primary key, v text, updated_at timestamptz not null default clock_timestamp())`,
    );
    await source.client.query(
      `insert into doomed (id, v) select id, 'v' from generate_series(1, 1000) as id`,
    );
    const dataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'doomed' },
      type: 'dimension',
      dimension: {
        primary_key_column: 'id',
        last_modified_column: 'updated_at',
        detect_hard_deletes: true,
      },
    });
    await extractNow(api, dataset.id);
    await source.client.query(`delete from doomed where id % 100 = 0`);
    const second = await extractNow(api, dataset.id);
    expect(second.records_existing_deleted).toBe(10);
    const lake = await readLakeState(api.engine, dataset.id);
    expect([...lake.deleted].sort()).toEqual([
      '100',
      '1000',
      '200',
      '300',
      '400',
      '500',
      '600',
      '700',
      '800',
      '900',
    ]);
    expect(lake.live.size).toBe(990);
    const third = await extractNow(api, dataset.id);
    expect(third.records_existing_deleted).toBe(0);
  });

  test('a key scan interrupted by a dropped connection never invents deletions', async () => {
    await source.client.query(`create table scanned (id bigint primary key, v text)`);
    await source.client.query(
      `insert into scanned select id, repeat('y', 40) from generate_series(1, 30000) as id`,
    );
    const dataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'scanned' },
      type: 'dimension',
      dimension: { primary_key_column: 'id', detect_hard_deletes: true },
    });
    await extractNow(api, dataset.id);

    const started = await startExtract(api, dataset.id);
    for (;;) {
      const current = (
        await api.request<{
          data: { extract: { progress: { rows_read: number }; status: string } };
        }>('GET', `/import/extracts/${started.id}`)
      ).body.data.extract;
      if (
        current.progress.rows_read > 0 ||
        (current.status !== 'running' && current.status !== 'queued')
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await source.client.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
      [source.name],
    );
    const failed = await waitForExtract(api, started.id);
    expect(failed.status).toBe('failed');
    expect((await readLakeState(api.engine, dataset.id)).deleted.size).toBe(0);

    // The resumed pass saw only part of the keys: it must not reconcile. The next full pass may, and finds nothing.
    const resumed = await extractNow(api, dataset.id);
    expect(resumed.records_existing_deleted).toBe(0);
    const full = await extractNow(api, dataset.id);
    expect(full).toMatchObject({ records_existing_deleted: 0, records_existing_unchanged: 30000 });
    await source.client.query(`delete from scanned where id in (7, 15000, 29999)`);
    const after = await extractNow(api, dataset.id);
    expect(after.records_existing_deleted).toBe(3);
    expect([...(await readLakeState(api.engine, dataset.id)).deleted].sort()).toEqual([
      '15000',
      '29999',
      '7',
    ]);
  });

  test('a SQL dataset caches the rows of the query', async () => {
    const sourceId = String((await createTableDataset(api, source, customersDimension)).source_id);
    const created = await api.request<{ data: { dataset: { id: string } } }>(
      'POST',
      '/import/datasets',
      {
        dataset: {
          source_id: sourceId,
          method: 'sql',
          sql: { query: `select id, email, country from customers where country = 'FR'` },
          type: 'dimension',
          dimension: { primary_key_column: 'id' },
        },
      },
    );
    expect(created.status, created.text).toBe(200);
    const extract = await extractNow(api, created.body.data.dataset.id);
    const expected = Number(
      (await source.client.query(`select count(*) from customers where country = 'FR'`)).rows[0]
        .count,
    );
    expect(extract.records_new_inserted).toBe(expected);
    const lake = await readLakeState(api.engine, created.body.data.dataset.id);
    expect(Object.keys([...lake.live.values()][0] ?? {})).toEqual(['id', 'email', 'country']);
  });
});

describe('failures and concurrency', () => {
  test("hostile SQL datasets fail with the database's reason and change nothing at the source", async () => {
    const sourceId = String((await createTableDataset(api, source, customersDimension)).source_id);
    for (const query of [
      'select 1 as id; drop table customers',
      'copy (select 1 as id) to stdout',
      'select id from customers; create table pwned (x int)',
    ]) {
      const created = await api.request<{ data: { dataset: { id: string } } }>(
        'POST',
        '/import/datasets',
        {
          dataset: {
            source_id: sourceId,
            method: 'sql',
            sql: { query },
            type: 'dimension',
            dimension: { primary_key_column: 'id' },
          },
        },
      );
      const extract = await waitForExtract(
        api,
        (await startExtract(api, created.body.data.dataset.id)).id,
      );
      expect(extract.status, query).toBe('failed');
      expect(extract.error, query).toMatchObject({ blame: 'source', error_code: 'invalid_query' });
    }
    const tables = await source.client.query(
      `select table_name from information_schema.tables where table_name in ('customers', 'pwned')`,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(['customers']);
  });

  test('a source host the policy forbids is never connected to', async () => {
    const strict = await startTestEngine({ jobs: true, context: { allowPrivateHosts: false } });
    try {
      const dataset = await createTableDataset(strict, source, customersDimension);
      const extract = await waitForExtract(strict, (await startExtract(strict, dataset.id)).id);
      expect(extract.status).toBe('failed');
      expect(extract.error?.blame).toBe('source');
      expect(extract.error?.message).toMatch(/private|loopback|not allowed|refused/i);
    } finally {
      await strict.close();
    }
  });

  test('a source connection killed mid-read fails the run cleanly and the next run resumes exactly', async () => {
    await source.client.query(
      `create table big (id bigint primary key, v text, updated_at timestamptz not null)`,
    );
    await source.client.query(
      `insert into big select id, repeat('x', 50), '2026-01-01'::timestamptz + id * interval '1 second' from generate_series(1, 30000) as id`,
    );
    const dataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'big' },
      type: 'dimension',
      dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
    });
    const started = await startExtract(api, dataset.id);
    for (;;) {
      const current = (
        await api.request<{
          data: { extract: { progress: { rows_read: number }; status: string } };
        }>('GET', `/import/extracts/${started.id}`)
      ).body.data.extract;
      if (
        current.progress.rows_read > 0 ||
        (current.status !== 'running' && current.status !== 'queued')
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await source.client.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
      [source.name],
    );
    const failed = await waitForExtract(api, started.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ blame: 'source' });
    expect(failed.progress.rows_read).toBeLessThan(30000);
    const resumed = await extractNow(api, dataset.id);
    expect(failed.progress.rows_read + resumed.progress.rows_read).toBe(30000);
    const lake = await expectExact(dataset.id, 'big');
    expect(lake.versions).toBe(30000);
  });

  test('two triggers at once start one extract, and never two run for a dataset', async () => {
    const dataset = await createTableDataset(api, source, customersDimension);
    const [a, b] = await Promise.all([
      startExtract(api, dataset.id),
      startExtract(api, dataset.id),
    ]);
    expect(a.id).toBe(b.id);
    const during = await startExtract(api, dataset.id);
    expect(during.id).toBe(a.id);
    await waitForExtract(api, a.id);
    const next = await startExtract(api, dataset.id);
    expect(next.id).not.toBe(a.id);
    await waitForExtract(api, next.id);
    const overlapping = await api.database.db.query(
      `select count(*)::int as n from extracts a join extracts b on a.dataset_id = b.dataset_id and a.id < b.id
       where a.dataset_id = $1 and a.started_at < coalesce(b.ended_at, 'infinity') and b.started_at < coalesce(a.ended_at, 'infinity')`,
      [dataset.id],
    );
    expect(overlapping.rows[0].n).toBe(0);
  });

  test('missed schedule ticks coalesce into one run', async () => {
    const dataset = await createTableDataset(api, source, {
      ...customersDimension,
      frequency_minutes: 1,
    });
    await extractNow(api, dataset.id);
    // As if the engine had been down for a day: 1,440 missed runs.
    await api.database.db.query(
      `update dataset_state set next_run_at = clock_timestamp() - interval '1 day' where dataset_id = $1`,
      [dataset.id],
    );
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const state = await api.database.db.query(
        `select next_run_at > clock_timestamp() as later from dataset_state where dataset_id = $1`,
        [dataset.id],
      );
      if (state.rows[0].later) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const runs = await api.database.db.query(
      `select count(*)::int as n from extracts where dataset_id = $1 and trigger = 'schedule'`,
      [dataset.id],
    );
    expect(runs.rows[0].n).toBe(1);
  });
});

describe('cached records', () => {
  test('lineage shows a record as extracted, and 404 for an unknown one', async () => {
    const dataset = await createTableDataset(api, source, customersDimension);
    await extractNow(api, dataset.id);
    const record = await api.request<{
      data: {
        record: {
          record_id: string;
          extract: {
            data: Record<string, unknown>;
            is_deleted: boolean;
            last_extracted_at: string;
          };
        };
      };
    }>('GET', `/import/datasets/${dataset.id}/records/1`);
    expect(record.status, record.text).toBe(200);
    expect(record.body.data.record).toMatchObject({
      record_id: '1',
      extract: { data: { id: 1 }, is_deleted: false },
    });
    expect(record.body.data.record.extract.last_extracted_at).toMatch(/Z$/);
    expect(
      (await api.request('GET', `/import/datasets/${dataset.id}/records/no-such-id`)).status,
    ).toBe(404);
    const bad = await api.request('POST', `/import/datasets/${dataset.id}/random-sample`, {
      sample_size: 5000,
    });
    expect(bad.status).toBe(400);
  });
});
