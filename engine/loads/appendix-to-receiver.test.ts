import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { waitForExtract } from '../testing/extract-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// The quickstart's calls in their order (api-contract.md, Appendix), with local hosts, ending at the receiver.
let api: TestEngine;
let source: SourceDatabase;
let receiver: Receiver;

beforeAll(async () => {
  api = await startTestEngine({ jobs: true });
  source = await createSourceDatabase();
  await source.client.query(
    `create table users (id bigint primary key, email text not null, updated_at timestamptz not null default clock_timestamp())`,
  );
  await source.client.query(
    `insert into users (id, email) select id, 'user' || id || '@example.com' from generate_series(1, 25) as id`,
  );
  receiver = createReceiver({ engineUrl: api.baseUrl });
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  await api.close();
  await source.drop();
});

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await api.request<{ data: T }>(method, path, body);
  expect(response.status, `${method} ${path}: ${response.text}`).toBeLessThan(300);
  return response.body.data;
}

describe('the quickstart sequence with local hosts', () => {
  test('ends with the records at the reference receiver', { timeout: 60_000 }, async () => {
    const { datalake } = await call<{ datalake: { id: string } }>('POST', '/import/datalakes', {
      datalake: { name: 'primary-datalake', storage: 'local' },
    });
    const { provider } = await call<{ provider: { id: string } }>('POST', '/import/providers', {
      provider: { name: 'Acme Corp', id: 'acme', datalake_id: datalake.id, products: ['all'] },
    });
    const { source: created } = await call<{ source: { id: string } }>('POST', '/import/sources', {
      source: {
        name: 'acme-postgres',
        vendor: 'postgres',
        provider_id: provider.id,
        postgres: source.postgres,
      },
    });
    const { dataset } = await call<{ dataset: { id: string } }>('POST', '/import/datasets', {
      dataset: {
        source_id: created.id,
        method: 'table',
        table: { source_table_namespace: 'public', source_table_name: 'users' },
        type: 'dimension',
        dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
        frequency_minutes: 60,
      },
    });
    const { extract } = await call<{ extract: { id: string } }>(
      'POST',
      `/import/datasets/${dataset.id}/extract`,
    );
    expect((await waitForExtract(api, extract.id)).status).toBe('succeeded');
    const { destination } = await call<{ destination: { id: string } }>(
      'POST',
      '/import/destinations',
      {
        destination: {
          name: 'primary-destination',
          type: 'webhook_record',
          record_schema: {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'string' } },
          },
          webhook_record: {
            request_template: { uri: `${receiver.url}/prequel/records`, method: 'POST' },
          },
        },
      },
    );
    await call('POST', '/import/products', {
      product: { name: 'primary-product', destinations: [destination.id] },
    });
    const { stream } = await call<{ stream: { id: string } }>('POST', '/import/streams', {
      stream: {
        name: 'users-stream',
        dataset_id: dataset.id,
        destination_id: destination.id,
        mappings: [{ target_field: 'id', field_type: 'field', column: { name: 'id' } }],
      },
    });
    const preview = await call<{ records: Record<string, unknown>[] }>(
      'POST',
      `/import/streams/${stream.id}/test-transform`,
      { record_ids: ['7'] },
    );
    expect(preview.records[0]).toMatchObject({ id: '7' });
    await call('POST', `/import/streams/${stream.id}/load`, {});

    await receiver.waitFor((stats) => stats.latestKeys >= 25, 30_000);
    const stats = receiver.store.stats();
    expect(stats).toMatchObject({ latestKeys: 25, rejections: 0 });
    expect(receiver.store.latest('acme', '7')?.record).toEqual({ id: '7' });
  });
});
