import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { datasetPrefix } from '../datalake/lake-keys';
import { openDatalakeForProvider } from '../datalake/open-datalake-for';
import { createTableDataset, startExtract, waitForExtract } from '../testing/extract-fixtures';
import { readLakeState, readPostgresTable } from '../testing/lake-state';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { spawnEngine } from '../testing/spawn-engine';
import { createTestDatabase } from '../testing/test-database';
import { startTestEngine } from '../testing/test-engine';

// kill -9 of a real engine process at each point of an extract, then a healthy engine takes over the job.
let source: SourceDatabase;
beforeAll(async () => {
  source = await createSourceDatabase();
  await source.client.query(
    `create table crashy (id bigint primary key, v text, updated_at timestamptz not null)`,
  );
  await source.client.query(`create index on crashy (updated_at, id)`);
  // Ties across chunk boundaries too: groups of 7 rows share a timestamp.
  await source.client.query(
    `insert into crashy select id, md5(id::text), '2026-01-01'::timestamptz + (id / 7) * interval '1 ms' from generate_series(1, 3000) as id`,
  );
});
afterAll(() => source.drop());

const POINTS = [
  'during_read:2',
  'after_read:2',
  'after_parquet:3',
  'after_upload:3',
  'after_commit:2',
  'before_finish:1',
];

interface CrashRun {
  table: string;
  point: string;
  chunkRows: number;
  lagSeconds: number;
  /** Changes made at the source while the crashed engine is down. */
  whileDown?: () => Promise<void>;
}

/** Starts a real engine that kills itself at `point`, then lets a healthy engine finish; checks the cache is exact. */
async function crashAndResume(run: CrashRun) {
  const database = await createTestDatabase();
  const encryptionKey = randomBytes(32);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'inlet-crash-'));
  const setup = await startTestEngine({ database, encryptionKey, context: { dataDir } });
  const dataset = await createTableDataset(setup, source, {
    table: { source_table_namespace: 'public', source_table_name: run.table },
    type: 'dimension',
    dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
  });
  await setup.close();

  const engine = await spawnEngine({
    database,
    encryptionKey,
    dataDir,
    env: {
      ENGINE_EXTRACT_CHUNK_ROWS: String(run.chunkRows),
      ENGINE_EXTRACT_LAG_SECONDS: String(run.lagSeconds),
      INLET_FAULT_POINTS: run.point,
    },
  });
  const { triggerExtract } = await import('./trigger-extract');
  const { extract } = await triggerExtract(database.db, dataset.id, 'api');
  expect(await engine.exited).toBe('SIGKILL');
  const stuck = (await database.db.query('select status from extracts where id = $1', [extract.id]))
    .rows[0];
  expect(['queued', 'running']).toContain(stuck.status);
  await run.whileDown?.();

  const healthy = await startTestEngine({
    database,
    encryptionKey,
    context: { dataDir },
    jobs: {
      staleAfterSeconds: 1,
      extract: { chunkRows: run.chunkRows, lagSeconds: run.lagSeconds },
    },
  });
  try {
    const finished = await waitForExtract(healthy, extract.id, 60_000);
    expect(finished.error).toBeNull();
    expect(finished.status).toBe('succeeded');
    // A later run picks up what arrived while the engine was down (if the resumed run had not already).
    const again = await waitForExtract(healthy, (await startExtract(healthy, dataset.id)).id);
    expect(again.status).toBe('succeeded');

    const lake = await readLakeState(healthy.engine, dataset.id);
    const rows = await readPostgresTable(source.client, run.table);
    expect(lake.live.size).toBe(rows.size);
    for (const [id, row] of rows) expect(lake.live.get(id), `row ${id}`).toEqual(row);
    // Every record was written once: nothing committed twice, nothing lost.
    expect(lake.versions).toBe(rows.size);

    // Only committed files remain visible in the datalake; no temporary file survives a sweep.
    const store = await openDatalakeForProvider(healthy.engine, String(dataset.provider_id));
    await store.sweepTemporaryFiles(0);
    const listed = (await store.list(datasetPrefix(String(dataset.provider_id), dataset.id)))
      .map((object) => object.key)
      .sort();
    const committed = (
      await database.db.query<{ key: string }>(
        'select key from dataset_files where dataset_id = $1 order by key',
        [dataset.id],
      )
    ).rows.map((row) => row.key);
    expect(listed).toEqual(committed);

    // And a run after that finds nothing new.
    const idle = await waitForExtract(healthy, (await startExtract(healthy, dataset.id)).id);
    expect(idle).toMatchObject({
      status: 'succeeded',
      records_new_inserted: 0,
      records_existing_updated: 0,
    });
  } finally {
    await healthy.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('an engine killed during an extract', { timeout: 120_000 }, () => {
  test.each(POINTS)('at %s leaves the datalake exact once another engine resumes', (point) =>
    crashAndResume({ table: 'crashy', point, chunkRows: 500, lagSeconds: 0 }),
  );

  test('a storm of 20,000 identical old timestamps, crashed mid-storm, with more ties arriving while down', async () => {
    await source.client.query(
      `create table storm_old (id bigint primary key, v text, updated_at timestamptz not null)`,
    );
    await source.client.query(`create index on storm_old (updated_at, id)`);
    await source.client.query(
      `insert into storm_old select id, 'v' || id, '2026-01-01 00:00:00.123456+00' from generate_series(1, 20000) as id`,
    );
    await crashAndResume({
      table: 'storm_old',
      point: 'after_commit:5',
      chunkRows: 1000,
      lagSeconds: 300,
      // Same old timestamp, keys after the checkpoint; and fresh rows (any key) inside the lag window.
      whileDown: async () => {
        await source.client.query(
          `insert into storm_old select id, 'late' || id, '2026-01-01 00:00:00.123456+00' from generate_series(20001, 21000) as id`,
        );
        await source.client.query(
          `insert into storm_old select id, 'fresh' || id, clock_timestamp() from generate_series(-500, -1) as id`,
        );
      },
    });
  });

  test('a storm of 20,000 identical recent timestamps, crashed mid-storm, with ties of smaller keys arriving while down', async () => {
    await source.client.query(
      `create table storm_new (id bigint primary key, v text, updated_at timestamptz not null)`,
    );
    await source.client.query(`create index on storm_new (updated_at, id)`);
    await source.client.query(
      `insert into storm_new select id, 'v' || id, date_trunc('second', clock_timestamp()) from generate_series(1, 20000) as id`,
    );
    await crashAndResume({
      table: 'storm_new',
      point: 'after_commit:5',
      chunkRows: 1000,
      lagSeconds: 300,
      // Same timestamp as the storm but keys before the crashed run's position: only the lag window finds them.
      whileDown: () =>
        source.client
          .query(
            `insert into storm_new select id, 'tie' || id, (select max(updated_at) from storm_new) from generate_series(-1000, -1) as id`,
          )
          .then(() => {}),
    });
  });
});
