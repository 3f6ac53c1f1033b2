import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../../scripts/lib/free-port';
import { datasetPrefix } from '../datalake/lake-keys';
import { openDatalakeForProvider } from '../datalake/open-datalake-for';
import { createTableDataset, startExtract, waitForExtract } from '../testing/extract-fixtures';
import { readLakeState, readPostgresTable } from '../testing/lake-state';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { createTestDatabase } from '../testing/test-database';
import { startTestEngine } from '../testing/test-engine';

// kill -9 of a real engine process at each point of an extract, then a healthy engine takes over the job.
let source: SourceDatabase;
beforeAll(async () => {
  source = await createSourceDatabase();
  await source.client.query(`create table crashy (id bigint primary key, v text, updated_at timestamptz not null)`);
  await source.client.query(`create index on crashy (updated_at, id)`);
  // Ties across chunk boundaries too: groups of 7 rows share a timestamp.
  await source.client.query(`insert into crashy select id, md5(id::text), '2026-01-01'::timestamptz + (id / 7) * interval '1 ms' from generate_series(1, 3000) as id`);
});
afterAll(() => source.drop());

const POINTS = ['during_read:2', 'after_read:2', 'after_parquet:3', 'after_upload:3', 'after_commit:2', 'before_finish:1'];

describe('an engine killed during an extract', { timeout: 90_000 }, () => {
  test.each(POINTS)('at %s leaves the datalake exact once another engine resumes', async (point) => {
    const database = await createTestDatabase();
    const encryptionKey = randomBytes(32);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'inlet-crash-'));
    const setup = await startTestEngine({ database, encryptionKey, context: { dataDir } });
    const dataset = await createTableDataset(setup, source, { table: { source_table_namespace: 'public', source_table_name: 'crashy' }, type: 'dimension', dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' } });
    await setup.close();

    const child = spawn(process.execPath, ['--import', 'tsx', 'engine/main.ts'], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database.url,
        PREQUEL_API_KEY: `key_${randomBytes(12).toString('hex')}`,
        INLET_ENCRYPTION_KEY: encryptionKey.toString('base64'),
        INLET_DATA_DIR: dataDir,
        INLET_ALLOW_PRIVATE_HOSTS: 'true',
        ENGINE_PORT: String(await freePort()),
        ENGINE_EXTRACT_CHUNK_ROWS: '500',
        ENGINE_EXTRACT_LAG_SECONDS: '0',
        INLET_FAULT_POINTS: point,
        LOG_LEVEL: 'warn',
      } as unknown as NodeJS.ProcessEnv,
      stdio: 'ignore',
    });
    const died = new Promise<string | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const { triggerExtract } = await import('./trigger-extract');
    const { extract } = await triggerExtract(database.db, dataset.id, 'api');
    expect(await died).toBe('SIGKILL');
    const stuck = (await database.db.query('select status from extracts where id = $1', [extract.id])).rows[0];
    expect(['queued', 'running']).toContain(stuck.status);

    const healthy = await startTestEngine({ database, encryptionKey, context: { dataDir }, jobs: { staleAfterSeconds: 1, extract: { chunkRows: 500, lagSeconds: 0 } } });
    try {
      const finished = await waitForExtract(healthy, extract.id, 60_000);
      expect(finished.error).toBeNull();
      expect(finished.status).toBe('succeeded');

      const lake = await readLakeState(healthy.engine, dataset.id);
      const rows = await readPostgresTable(source.client, 'crashy');
      expect(lake.live.size).toBe(rows.size);
      for (const [id, row] of rows) expect(lake.live.get(id)).toEqual(row);
      // Every record was written once: nothing committed twice, nothing lost.
      expect(lake.versions).toBe(3000);

      // Only committed files remain visible in the datalake; no temporary file survives a sweep.
      const store = await openDatalakeForProvider(healthy.engine, String(dataset.provider_id));
      await store.sweepTemporaryFiles(0);
      const listed = (await store.list(datasetPrefix(String(dataset.provider_id), dataset.id))).map((object) => object.key).sort();
      const committed = (await database.db.query<{ key: string }>('select key from dataset_files where dataset_id = $1 order by key', [dataset.id])).rows.map((row) => row.key);
      expect(listed).toEqual(committed);

      // A re-run finds nothing new.
      const again = await waitForExtract(healthy, (await startExtract(healthy, dataset.id)).id);
      expect(again).toMatchObject({ status: 'succeeded', records_new_inserted: 0, records_existing_updated: 0 });
    } finally {
      await healthy.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
