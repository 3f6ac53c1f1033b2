// Merges a dataset's cached files into one holding the latest version of each record, sorted by
// record id in small row groups (migration 024). Without it the cache grows by a file per chunk of
// every extract that finds changes, and every extract and load reads all of them; sorted, a lookup
// of a few changed keys reads the few row groups whose id range holds them.
//
// Dropping the versions a newer one replaced is safe for every reader: each reads the latest
// version of a record, and a version not the latest in the merged files is the latest nowhere.
// The merged files are superseded at once (new readers skip them) and purged a day later, so that a
// load that opened them meanwhile reads on.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { META } from '../cache/meta-columns';
import { compactedFileKey } from '../datalake/lake-keys';
import { openDatalakeForProvider } from '../datalake/open-datalake-for';
import type { EngineContext } from '../engine-context';
import { withTransaction, type Queryable } from '../store/db';
import { uuidv7 } from '../store/uuid';
import { COLUMNS_METADATA_KEY, fileHashings, HASH_METADATA_KEY } from './change-detector';
import { detectorDatabaseFor } from './detector-database';

export const COMPACT_TASK = 'compact_dataset';
/** Live files at which a dataset is compacted. */
export const COMPACT_AT = 8;
/** Rows per row group of a compacted file: the unit a key lookup reads. */
const ROW_GROUP_ROWS = 4096;
/** How long superseded files stay for the readers that opened them. */
export const PURGE_AFTER_MS = 24 * 60 * 60_000;

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

type LiveFile = {
  key: string;
  version: string;
  min_version: string;
  row_count: string;
  extract_id: string;
};

/**
 * Queues a compaction of the dataset once it has COMPACT_AT live files, in the dataset's own queue:
 * it runs between its extracts, never beside one.
 */
export async function scheduleCompaction(db: Queryable, datasetId: string): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from dataset_files where dataset_id = $1 and superseded_at is null`,
    [datasetId],
  );
  if (rows[0]!.n < COMPACT_AT) return false;
  await db.query(
    `select graphile_worker.add_job($1, json_build_object('dataset_id', $2::text), queue_name := ` +
      `$3, max_attempts := 3, job_key := $4, flags := array['provider:' || (select provider_id ` +
      `from datasets where id = $5)])`,
    [COMPACT_TASK, datasetId, `dataset:${datasetId}`, `compact:${datasetId}`, datasetId],
  );
  return true;
}

/**
 * The files to merge: those hashed as the newest one was (files from before an upgrade or a column
 * rename keep their own, and are compared as they are); and of those, all but the largest while the
 * others are small beside it, so that small changes do not rewrite the whole cache each time.
 */
function chooseFiles(files: LiveFile[], sameHashing: (file: LiveFile) => boolean): LiveFile[] {
  const alike = files.filter(sameHashing);
  const largest = alike.reduce<LiveFile | null>(
    (best, file) => (!best || Number(file.row_count) > Number(best.row_count) ? file : best),
    null,
  );
  if (!largest) return [];
  const others = alike.filter((file) => file !== largest);
  const otherRows = others.reduce((sum, file) => sum + Number(file.row_count), 0);
  return otherRows * 4 < Number(largest.row_count) && others.length > 1 ? others : alike;
}

/**
 * Compacts the dataset's live files when it has COMPACT_AT of them (or `minFiles`); returns what it
 * merged, or null when there was nothing to do (or another compaction got there first).
 */
export async function compactDatasetFiles(
  engine: EngineContext,
  datasetId: string,
  options: { minFiles?: number } = {},
): Promise<{ files: number; rows: number } | null> {
  const dataset = (
    await engine.db.query<{ provider_id: string }>(
      'select provider_id from datasets where id = $1',
      [datasetId],
    )
  ).rows[0];
  if (!dataset) return null;
  const live = (
    await engine.db.query<LiveFile>(
      `select key, version::text, coalesce(min_version, version)::text as min_version,
        row_count::text, extract_id from dataset_files
       where dataset_id = $1 and superseded_at is null order by version`,
      [datasetId],
    )
  ).rows;
  const minFiles = options.minFiles ?? COMPACT_AT;
  if (live.length < minFiles) return null;

  const store = await openDatalakeForProvider(engine, dataset.provider_id);
  const paths = new Map(
    await Promise.all(
      live.map(async (file) => [file.key, await store.localPath(file.key)] as const),
    ),
  );
  const database = await detectorDatabaseFor(engine);
  const connection = await database.instance.connect();
  const workDir = path.join(engine.dataDir, 'work', `compact-${uuidv7()}`);
  try {
    const hashings = await fileHashings(connection, database, [...paths.values()]);
    const newest = hashings.get(paths.get(live[live.length - 1]!.key)!)!;
    const chosen = chooseFiles(live, (file) => {
      const hashing = hashings.get(paths.get(file.key)!)!;
      return hashing.canary === newest.canary && hashing.columns === newest.columns;
    });
    if (chosen.length < 2) return null;

    const version = Math.max(...chosen.map((file) => Number(file.version)));
    const minVersion = Math.min(...chosen.map((file) => Number(file.min_version)));
    const output = path.join(workDir, 'compacted.parquet');
    mkdirSync(workDir, { recursive: true });
    const list = `[${chosen.map((file) => literal(paths.get(file.key)!)).join(', ')}]`;
    // Files hashed alike have the same columns: no union by name needed.
    const metadata =
      `{${HASH_METADATA_KEY}: ${literal(newest.canary ?? '')}, ` +
      `${COLUMNS_METADATA_KEY}: ${literal(newest.columns ?? '')}}`;
    // A DuckDB of its own, on one thread: sorting every row of a large dataset spills to disk
    // within its memory limit (a window over whole rows, or two threads, ran out of it at 1M rows).
    const sorter = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      threads: '1',
      memory_limit: '192MB',
      preserve_insertion_order: 'false',
      temp_directory: path.join(workDir, 'spill'),
    });
    const sorting = await sorter.connect();
    let rows: number;
    try {
      await sorting.run(
        `create temp table latest as select ${META.recordId} as id, max(${META.version}) as v
         from read_parquet(${list}) group by 1`,
      );
      await sorting.run(
        `copy (select f.* from read_parquet(${list}) f join latest on f.${META.recordId} =
           latest.id and f.${META.version} = latest.v order by f.${META.recordId})
         to ${literal(output)} (format parquet, compression snappy, row_group_size
           ${ROW_GROUP_ROWS}, kv_metadata ${metadata})`,
      );
      rows = Number(
        (await sorting.runAndReadAll('select count(*) as n from latest')).getRowObjects()[0]!.n,
      );
    } finally {
      sorting.closeSync();
      sorter.closeSync();
    }
    const key = compactedFileKey(dataset.provider_id, datasetId, version, uuidv7());
    const { bytes } = await store.putFile(key, output);
    const committed = await withTransaction(engine.db, async (client) => {
      const superseded = await client.query(
        `update dataset_files set superseded_at = clock_timestamp()
         where dataset_id = $1 and key = any($2::text[]) and superseded_at is null`,
        [datasetId, chosen.map((file) => file.key)],
      );
      // Another compaction took some of them: leave it be.
      if (superseded.rowCount !== chosen.length) throw new CompactedMeanwhile();
      await client.query(
        `insert into dataset_files (dataset_id, key, extract_id, version, min_version, row_count,
           bytes) values ($1, $2, $3, $4, $5, $6, $7)`,
        [datasetId, key, chosen[chosen.length - 1]!.extract_id, version, minVersion, rows, bytes],
      );
      return true;
    }).catch((error: unknown) => {
      if (error instanceof CompactedMeanwhile) return false;
      throw error;
    });
    if (!committed) {
      await store.delete([key]).catch(() => {});
      return null;
    }
    engine.logger.info('dataset compacted', {
      dataset_id: datasetId,
      files: chosen.length,
      rows,
      version,
    });
    return { files: chosen.length, rows };
  } finally {
    connection.closeSync();
    rmSync(workDir, { recursive: true, force: true });
  }
}

class CompactedMeanwhile extends Error {}

/**
 * Deletes the objects of files superseded more than `olderThanMs` ago (a batch at a time) and marks
 * them purged; returns how many.
 */
export async function purgeSupersededFiles(
  engine: EngineContext,
  olderThanMs = PURGE_AFTER_MS,
): Promise<number> {
  const { rows } = await engine.db.query<{ dataset_id: string; key: string; provider_id: string }>(
    `select f.dataset_id, f.key, d.provider_id from dataset_files f
     join datasets d on d.id = f.dataset_id
     where f.superseded_at < clock_timestamp() - make_interval(secs => $1) and f.purged_at is null
     order by f.superseded_at limit 500`,
    [olderThanMs / 1000],
  );
  const byProvider = new Map<string, typeof rows>();
  for (const row of rows)
    byProvider.set(row.provider_id, [...(byProvider.get(row.provider_id) ?? []), row]);
  let purged = 0;
  for (const [providerId, files] of byProvider) {
    const store = await openDatalakeForProvider(engine, providerId);
    await store.delete(files.map((file) => file.key));
    const marked = await engine.db.query(
      `update dataset_files set purged_at = clock_timestamp()
       where (dataset_id, key) in (select * from unnest($1::uuid[], $2::text[]))`,
      [files.map((file) => file.dataset_id), files.map((file) => file.key)],
    );
    purged += marked.rowCount ?? 0;
  }
  return purged;
}
