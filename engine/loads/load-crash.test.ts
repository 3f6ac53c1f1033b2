import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { create } from '../testing/fixtures';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { spawnEngine } from '../testing/spawn-engine';
import { createTestDatabase } from '../testing/test-database';
import { startTestEngine } from '../testing/test-engine';
import { triggerLoad } from './trigger-load';

let source: SourceDatabase;
beforeAll(async () => {
  source = await createSourceDatabase({
    customers: 40,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
});
afterAll(() => source.drop());

describe('an engine killed during a load', () => {
  test(
    'after sending and before recording: a restarted engine finishes, and the de-duplicating receiver has every record once',
    { timeout: 120_000 },
    async () => {
      const database = await createTestDatabase();
      const encryptionKey = randomBytes(32);
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'inlet-load-crash-'));
      const setup = await startTestEngine({
        database,
        encryptionKey,
        context: { dataDir },
        jobs: true,
      });
      const receiver: Receiver = createReceiver({ engineUrl: setup.baseUrl });
      await receiver.start();
      try {
        const dataset = await createTableDataset(setup, source, {
          table: { source_table_namespace: 'public', source_table_name: 'customers' },
          type: 'dimension',
          dimension: { primary_key_column: 'id' },
        });
        const destination = await create(
          setup,
          '/import/destinations',
          {
            destination: {
              name: 'receiver',
              type: 'webhook_batch',
              record_schema: {
                type: 'object',
                required: ['id'],
                properties: { id: { type: 'string' } },
              },
              webhook_batch: {
                request_template: { method: 'POST', uri: `${receiver.url}/batch` },
                format: 'json',
                max_records_per_batch: 10,
              },
            },
          },
          'destination',
        );
        const stream = await create(
          setup,
          '/import/streams',
          {
            stream: {
              name: 's',
              dataset_id: dataset.id,
              destination_id: destination.id,
              is_enabled: false,
              mappings: [{ target_field: 'id', field_type: 'field', column: { name: 'id' } }],
            },
          },
          'stream',
        );
        await extractNow(setup, dataset.id);
        await setup.close();

        const engine = await spawnEngine({
          database,
          encryptionKey,
          dataDir,
          env: { INLET_FAULT_POINTS: 'load_after_send:1' },
        });
        const { load } = await triggerLoad(database.db, stream.id, { trigger: 'api' });
        expect(await engine.exited).toBe('SIGKILL');
        // Everything was sent before the crash; nothing was recorded.
        expect(receiver.store.stats().latestKeys).toBe(40);
        expect(
          (
            await database.db.query(
              `select count(*)::int as n from stream_records where stream_id = $1`,
              [stream.id],
            )
          ).rows[0].n,
        ).toBe(0);

        const healthy = await startTestEngine({
          database,
          encryptionKey,
          context: { dataDir },
          jobs: { staleAfterSeconds: 1 },
        });
        try {
          for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
            const row = (
              await database.db.query<{ status: string }>(
                'select status from loads where id = $1',
                [load.id],
              )
            ).rows[0]!;
            if (row.status === 'succeeded' || row.status === 'failed') break;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          const finished = (
            await healthy.request<{ data: { load: { status: string; records_loaded: number } } }>(
              'GET',
              `/import/loads/${load.id}`,
            )
          ).body.data.load;
          expect(finished).toMatchObject({ status: 'succeeded', records_loaded: 40 });
          const stats = receiver.store.stats();
          // The resent batches carried the same delivery ids: recognised as duplicates, stored once.
          expect(stats.stored).toBe(4);
          expect(stats.duplicates).toBe(4);
          expect(stats.latestKeys).toBe(40);
          expect(stats.records).toBe(40);
        } finally {
          await healthy.close();
        }
      } finally {
        await receiver.stop();
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
