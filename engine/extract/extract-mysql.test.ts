import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createSampleDatabase } from '../../scripts/sample-db/create-sample-db';
import { create, localDatalake, provider } from '../testing/fixtures';
import { extractNow } from '../testing/extract-fixtures';
import { readLakeState } from '../testing/lake-state';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

const adminUrl = inject('mysqlAdminUrl');
let api: TestEngine;
let connection: mysql.Connection;
const database = `inlet_src_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  api = await startTestEngine({ jobs: { extract: { chunkRows: 300, lagSeconds: 30 } } });
  const admin = await mysql.createConnection(adminUrl!);
  await admin.query(`create database ${database} character set utf8mb4`);
  await admin.end();
  connection = await mysql.createConnection({
    uri: `${adminUrl}${database}`,
    timezone: 'Z',
    typeCast: (field) => field.string(),
  });
  await createSampleDatabase(
    { dialect: 'mysql', connection },
    { customers: 1000, accountsPerCustomer: 0, ordersPerCustomer: 0, eventsPerCustomer: 0 },
  );
});
afterAll(async () => {
  await api.close();
  await connection.query(`drop database ${database}`);
  await connection.end();
});

async function sourceRows(table: string) {
  const [rows] = await connection.query(`select * from ${table}`);
  return new Map((rows as Record<string, string | null>[]).map((row) => [String(row.id), row]));
}

describe.skipIf(!adminUrl)('MariaDB sources', () => {
  test('a dimension extract caches every row exactly and then only what changed', async () => {
    const url = new URL(adminUrl!);
    const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const tenant = await create(api, '/import/providers', provider(lake.id), 'provider');
    const source = await create(
      api,
      '/import/sources',
      {
        source: {
          name: 'maria',
          vendor: 'mysql',
          provider_id: tenant.id,
          mysql: {
            host: url.hostname,
            port: Number(url.port),
            database,
            disable_ssl: true,
            password_auth: { username: url.username, password: url.password },
          },
        },
      },
      'source',
    );
    const dataset = await create(
      api,
      '/import/datasets',
      {
        dataset: {
          source_id: source.id,
          method: 'table',
          table: { source_table_namespace: database, source_table_name: 'customers' },
          type: 'dimension',
          dimension: {
            primary_key_column: 'id',
            last_modified_column: 'updated_at',
            is_deleted_column: 'is_deleted',
          },
        },
      },
      'dataset',
    );
    const first = await extractNow(api, dataset.id);
    expect(first).toMatchObject({ records_new_inserted: 1000, records_errored: 0 });

    const compare = async () => {
      const state = await readLakeState(api.engine, dataset.id);
      const rows = await sourceRows('customers');
      for (const [id, row] of rows) {
        const cached = state.live.get(id) ?? (state.deleted.has(id) ? row : undefined);
        expect(cached, `row ${id}`).toEqual(row);
      }
      expect(state.live.size + state.deleted.size).toBe(rows.size);
    };
    await compare();

    await connection.query(
      `update customers set plan = concat(plan, '+'), updated_at = utc_timestamp(6) order by id limit 12`,
    );
    const second = await extractNow(api, dataset.id);
    expect(second).toMatchObject({ records_new_inserted: 0, records_existing_updated: 12 });
    await compare();

    const sample = await api.request<{ data: { records: Record<string, unknown>[] } }>(
      'POST',
      `/import/datasets/${dataset.id}/random-sample`,
      { sample_size: 3 },
    );
    const record = sample.body.data.records[0]!;
    expect(typeof record.is_deleted).toBe('boolean');
    expect(String(record.updated_at)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });
});
