import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { triggerExtract } from '../extract/trigger-extract';
import { triggerLoadIn } from '../loads/trigger-load';
import { createTableDataset } from '../testing/extract-fixtures';
import { recordStream } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { providerOfFlags } from './fair-share';

// An engine that runs no jobs: what the queue holds stays there to be read.
let api: TestEngine;
let source: SourceDatabase;
beforeAll(async () => {
  api = await startTestEngine({ jobs: false });
  source = await createSourceDatabase({
    customers: 5,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
}, 120_000);
afterAll(async () => {
  await api?.close();
  await source?.drop();
});

const flagsOf = async (key: string) =>
  (
    await api.engine.db.query<{ flags: Record<string, unknown> | null }>(
      'select flags from graphile_worker._private_jobs where key = $1',
      [key],
    )
  ).rows[0]?.flags;

describe('queued jobs name their provider', () => {
  test('extracts and loads carry their provider as a flag, so a runner can hold back its share', async () => {
    const dataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'customers' },
      type: 'dimension',
      dimension: { primary_key_column: 'id' },
    });
    const { extract } = await triggerExtract(api.engine.db, dataset.id, 'api');
    expect(providerOfFlags(await flagsOf(`extract:${extract.id}`))).toBe(dataset.provider_id);

    const stream = await recordStream(api, {
      datasetId: dataset.id,
      uri: `${api.baseUrl}/healthz`,
    });
    const { load } = await triggerLoadIn(api.engine.db, stream.id, { trigger: 'api' });
    expect(providerOfFlags(await flagsOf(`load:${load.id}`))).toBe(dataset.provider_id);
  });
});
