// One extract, start to finish: read the source in chunks, detect changes, publish each chunk's
// file and then commit file + cursor + counters in one transaction. A crash anywhere resumes from
// the last committed chunk, and so does the next run after a cancel (checked before each chunk).
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DatasetCreateSchema, type DatasetCreate } from '../../lib/prequel/contract/dataset';
import type { TerminalJobStatus } from '../../lib/prequel/contract/job';
import { extractPartKey } from '../datalake/lake-keys';
import { openDatalakeForProvider } from '../datalake/open-datalake-for';
import type { EngineContext } from '../engine-context';
import { notify } from '../events/monitoring-events';
import { cancelRequested } from '../jobs/cancel-job';
import { faultPoint } from '../jobs/fault-points';
import { JobFailure } from '../jobs/job-failure';
import { triggerLoadsAfterExtract } from '../loads/trigger-load';
import { type Queryable, withTransaction } from '../store/db';
import { ChangeDetector } from './change-detector';
import { scheduleCompaction } from './compact-files';
import { detectorDatabaseFor } from './detector-database';
import { type ExtractRow } from './extract-record';
import { inPhase, toJobError } from './extract-error';
import { openChunkReader } from './open-chunk-reader';
import { recordColumns } from './record-columns';
import { type Cursor, readModeOf } from './read-plan';

/**
 * Failures that mean the source could not be reached at all (as opposed to refusing or failing a
 * read).
 */
const UNREACHABLE_CODES = new Set([
  'source_unreachable',
  'not_resolvable',
  'connection_refused',
  'connection_timeout',
  'connection_failed',
  'host_unreachable',
  'no_answer',
  'server_unavailable',
]);

export interface RunExtractOptions {
  workerId: string;
  chunkRows?: number;
  lagSeconds?: number;
}

interface DatasetRow {
  id: string;
  source_id: string;
  provider_id: string;
  body: DatasetCreate;
}

interface StateRow {
  cursor: Cursor | null;
  last_version: string;
}

/**
 * Marks the extract running (again, after a crash) and returns it; null when it is already
 * finished.
 */
async function claim(
  db: Queryable,
  extractId: string,
  workerId: string,
): Promise<ExtractRow | null> {
  const result = await db.query<ExtractRow>(
    `update extracts set status = 'running', started_at = coalesce(started_at,
      clock_timestamp()), worker_id = $2
     where id = $1 and status in ('queued', 'running') returning *`,
    [extractId, workerId],
  );
  return result.rows[0] ?? null;
}

/**
 * Thrown at a checkpoint once a cancel was asked for: the extract ends `cancelled`, its committed
 * chunks kept.
 */
class ExtractCancelled extends Error {}

export async function knownFiles(
  db: Queryable,
  datasetId: string,
): Promise<{ key: string; version: string }[]> {
  return (
    await db.query<{ key: string; version: string }>(
      `select key, version::text from dataset_files where dataset_id = $1 and superseded_at is ` +
        `null order by version`,
      [datasetId],
    )
  ).rows;
}

export async function runExtract(
  engine: EngineContext,
  extractId: string,
  options: RunExtractOptions,
): Promise<void> {
  const extract = await claim(engine.db, extractId, options.workerId);
  if (!extract) return;
  const workDir = path.join(engine.dataDir, 'work', `extract-${extractId}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  // Opened at the first chunk (see openDetector below).
  const opened: { detector?: Promise<ChangeDetector> } = {};
  let closeReader: (() => Promise<void>) | null = null;
  const checkpoint = async () => {
    if (await cancelRequested(engine.db, 'extracts', extractId)) throw new ExtractCancelled();
  };
  try {
    const datasetRow = (
      await engine.db.query<DatasetRow>(
        'select id, source_id, provider_id, body from datasets where id = $1',
        [extract.dataset_id],
      )
    ).rows[0];
    if (!datasetRow)
      throw new JobFailure(
        'engine',
        'dataset_deleted',
        'The dataset no longer exists',
        'The dataset was deleted while its extract was queued.',
      );
    const dataset = DatasetCreateSchema.parse(datasetRow.body);
    const mode = readModeOf(dataset);
    // A full refresh reads from no cursor; once it has committed a chunk, a retry after a crash
    // resumes from there.
    if (extract.full_refresh && Number(extract.rows_read) === 0)
      await engine.db.query('update dataset_state set cursor = null where dataset_id = $1', [
        datasetRow.id,
      ]);
    const state = (
      await engine.db.query<StateRow>(
        'select cursor, last_version::text from dataset_state where dataset_id = $1',
        [datasetRow.id],
      )
    ).rows[0];
    const startedFromScratch = !state?.cursor;

    const store = await inPhase('datalake', () =>
      openDatalakeForProvider(engine, datasetRow.provider_id),
    );
    const reader = await inPhase('source', () =>
      openChunkReader(engine, {
        dataset,
        sourceId: datasetRow.source_id,
        mode,
        cursor: state?.cursor ?? null,
        workDir,
        chunkRows: options.chunkRows,
        lagSeconds: options.lagSeconds,
      }),
    );
    closeReader = reader.close;
    const chunks = reader.chunks();
    const readNext = () => {
      const promise = inPhase('source', () => chunks.next());
      // Awaited later; until then a failure must not count as unhandled.
      promise.catch(() => {});
      return promise;
    };
    // The first chunk is read from the source while the cache is opened: an incremental run is
    // mostly this wait.
    faultPoint('before_chunk');
    let pending = readNext();
    await Promise.all([
      // Compared with what the streams map: a mapped column gone or retyped is reported before any
      // load fails.
      recordColumns(engine, datasetRow.id, reader.schema),
      engine.db.query('update extracts set estimated_rows = $2 where id = $1', [
        extractId,
        reader.estimatedRows,
      ]),
    ]);

    // Opened at the first chunk: a run that finds nothing new reads no cached file (a remote
    // datalake's would be downloaded) and opens no DuckDB connection.
    const openDetector = () => (opened.detector ??= openChangeDetector());
    const openChangeDetector = async () => {
      const priorFiles = await Promise.all(
        (await knownFiles(engine.db, datasetRow.id)).map((file) =>
          inPhase('datalake', () => store.localPath(file.key)),
        ),
      );
      return ChangeDetector.open(
        {
          names: reader.columns,
          pkColumn: mode.pkColumn,
          isDeletedColumn:
            dataset.type === 'dimension' ? dataset.dimension?.is_deleted_column : undefined,
          isFact: dataset.type === 'fact',
        },
        priorFiles,
        {
          tempDirectory: path.join(workDir, 'duckdb'),
          database: await detectorDatabaseFor(engine),
        },
      );
    };

    for (;;) {
      await checkpoint();
      let mark = performance.now();
      const next = await pending;
      if (next.done) break;
      const timing: Record<string, number> = { wait_for_read: performance.now() - mark };
      const chunk = next.value;
      faultPoint('after_read');
      // Read the next chunk from the source while this one is compared and published.
      faultPoint('before_chunk');
      pending = readNext();
      const version =
        Number(
          (
            await engine.db.query<{ v: string }>(
              `select coalesce(max(last_version), 0)::text as v from dataset_state where ` +
                `dataset_id = $1`,
              [datasetRow.id],
            )
          ).rows[0]!.v,
        ) + 1;
      const parquetPath = path.join(workDir, `part-${version}.parquet`);
      mark = performance.now();
      const chunkDetector = await openDetector();
      const counts = await inPhase('engine', () =>
        chunkDetector.processChunk(chunk.csvPath, version, parquetPath),
      );
      timing.detect = performance.now() - mark;
      mark = performance.now();
      rmSync(chunk.csvPath, { force: true });
      faultPoint('after_parquet');
      // Keyed by version: a retry after a crash before the commit rewrites its own uncommitted
      // file, never a committed one.
      const key = extractPartKey(datasetRow.provider_id, datasetRow.id, extractId, version);
      let bytes = 0;
      if (counts.written > 0)
        bytes = (await inPhase('datalake', () => store.putFile(key, parquetPath))).bytes;
      faultPoint('after_upload');
      await withTransaction(engine.db, async (client) => {
        if (counts.written > 0) {
          await client.query(
            `insert into dataset_files (dataset_id, key, extract_id, version, row_count, bytes) ` +
              `values ($1, $2, $3, $4, $5, $6) on conflict do nothing`,
            [datasetRow.id, key, extractId, version, counts.written, bytes],
          );
        }
        await client.query(
          `insert into dataset_state (dataset_id, cursor, last_version) values ($1, $2, $3)
           on conflict (dataset_id) do update set cursor = excluded.cursor, last_version =
             excluded.last_version, updated_at = clock_timestamp()`,
          [datasetRow.id, JSON.stringify(chunk.cursor), version],
        );
        await client.query(
          `update extracts set rows_read = rows_read + $2, records_processed = records_processed
            + $2,
             records_new_inserted = records_new_inserted + $3, records_existing_updated =
               records_existing_updated + $4,
             records_existing_unchanged = records_existing_unchanged + $5,
               records_existing_deleted = records_existing_deleted + $6,
             records_errored = records_errored + $7
           where id = $1`,
          [
            extractId,
            chunk.rows,
            counts.inserted,
            counts.updated,
            counts.unchanged,
            counts.deleted,
            counts.errored,
          ],
        );
      });
      timing.publish = performance.now() - mark;
      engine.logger.debug('extract chunk', {
        extract_id: extractId,
        version,
        rows: chunk.rows,
        rss_mb: Math.round(process.memoryUsage.rss() / 1048576),
        ...timing,
      });
      faultPoint('after_commit');
      if (counts.written > 0) chunkDetector.addRunFile(parquetPath);
    }

    const detectHardDeletes =
      dataset.type === 'dimension' && dataset.dimension?.detect_hard_deletes === true;
    await checkpoint();
    // A scan that resumed mid-way saw only part of the keys: diffing it would invent deletions.
    if (detectHardDeletes && reader.writeAllKeys && (mode.kind !== 'full' || startedFromScratch)) {
      await reconcileHardDeletes(engine, {
        reader,
        detector: await openDetector(),
        datasetRow,
        extractId,
        workDir,
        store,
      });
    }
    faultPoint('before_finish');
    await withTransaction(engine.db, async (client) => {
      // A complete primary-key pass starts over next time.
      if (mode.kind !== 'incremental')
        await client.query('update dataset_state set cursor = null where dataset_id = $1', [
          datasetRow.id,
        ]);
      await finish(client, extractId, datasetRow.id, dataset.frequency_minutes, 'succeeded', null);
    });
    engine.logger.info('extract succeeded', { extract_id: extractId, dataset_id: datasetRow.id });
    notify(engine, 'extract.succeeded', {
      extract_id: extractId,
      dataset_id: datasetRow.id,
      provider_id: datasetRow.provider_id,
    });
    // Enabled streams deliver what this extract changed; the extract has succeeded whatever happens
    // here.
    await triggerLoadsAfterExtract(engine.db, datasetRow.id).catch((error: Error) =>
      engine.logger.error('could not start loads after an extract', {
        extract_id: extractId,
        message: error.message,
      }),
    );
    await scheduleCompaction(engine.db, datasetRow.id).catch((error: Error) =>
      engine.logger.error('could not schedule a compaction after an extract', {
        extract_id: extractId,
        message: error.message,
      }),
    );
  } catch (error) {
    if (error instanceof ExtractCancelled) {
      const frequency = await frequencyOf(engine.db, extract.dataset_id);
      await finish(engine.db, extractId, extract.dataset_id, frequency, 'cancelled', null);
      engine.logger.info('extract cancelled', {
        extract_id: extractId,
        dataset_id: extract.dataset_id,
      });
      return;
    }
    const jobError = toJobError(error);
    engine.logger.warn('extract failed', {
      extract_id: extractId,
      code: jobError.error_code,
      blame: jobError.blame,
    });
    const frequency = await frequencyOf(engine.db, extract.dataset_id);
    await finish(engine.db, extractId, extract.dataset_id, frequency, 'failed', jobError);
    const provider = (
      await engine.db.query<{ provider_id: string }>(
        'select provider_id from datasets where id = $1',
        [extract.dataset_id],
      )
    ).rows[0]?.provider_id;
    const eventData = {
      extract_id: extractId,
      dataset_id: extract.dataset_id,
      provider_id: provider,
      error: jobError,
      message: jobError.message,
    };
    notify(engine, 'extract.failed', eventData);
    if (UNREACHABLE_CODES.has(jobError.error_code)) notify(engine, 'source.unreachable', eventData);
  } finally {
    (await opened.detector?.catch(() => null))?.close();
    await closeReader?.().catch(() => {});
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The dataset's period (the last one known, should it have been deleted meanwhile: 60 min). */
async function frequencyOf(db: Queryable, datasetId: string): Promise<number> {
  return (
    (
      await db.query<{ f: number }>(
        `select (body->>'frequency_minutes')::int as f from datasets where id = $1`,
        [datasetId],
      )
    ).rows[0]?.f ?? 60
  );
}

/**
 * Ends the extract; the dataset's next scheduled run is a period away whatever the outcome (a
 * cancel included).
 */
async function finish(
  db: Queryable,
  extractId: string,
  datasetId: string,
  frequencyMinutes: number,
  status: TerminalJobStatus,
  error: unknown,
) {
  await db.query(
    `update extracts set status = $2, ended_at = clock_timestamp(), error = $3 where id = $1`,
    [extractId, status, error === null ? null : JSON.stringify(error)],
  );
  await db.query(
    `insert into dataset_state (dataset_id, next_run_at, last_success_at) values ($1,
      clock_timestamp() + make_interval(mins => $2), case when $3 then clock_timestamp() end)
     on conflict (dataset_id) do update set next_run_at = excluded.next_run_at,
       last_success_at = coalesce(excluded.last_success_at, dataset_state.last_success_at),
         updated_at = clock_timestamp()`,
    [datasetId, frequencyMinutes, status === 'succeeded'],
  );
}

async function reconcileHardDeletes(
  engine: EngineContext,
  context: {
    reader: Awaited<ReturnType<typeof openChunkReader>>;
    detector: ChangeDetector;
    datasetRow: DatasetRow;
    extractId: string;
    workDir: string;
    store: Awaited<ReturnType<typeof openDatalakeForProvider>>;
  },
) {
  const { reader, detector, datasetRow, extractId, workDir, store } = context;
  const idsPath = path.join(workDir, 'all-keys.csv');
  await inPhase('source', () => reader.writeAllKeys!(idsPath));
  const version =
    Number(
      (
        await engine.db.query<{ v: string }>(
          `select last_version::text as v from dataset_state where dataset_id = $1`,
          [datasetRow.id],
        )
      ).rows[0]?.v ?? 0,
    ) + 1;
  const parquetPath = path.join(workDir, 'tombstones.parquet');
  const deleted = await inPhase('engine', () =>
    detector.writeHardDeletes(idsPath, version, parquetPath),
  );
  if (!deleted) return;
  const key = extractPartKey(datasetRow.provider_id, datasetRow.id, extractId, version);
  const { bytes } = await inPhase('datalake', () => store.putFile(key, parquetPath));
  await withTransaction(engine.db, async (client) => {
    await client.query(
      `insert into dataset_files (dataset_id, key, extract_id, version, row_count, bytes) values ` +
        `($1, $2, $3, $4, $5, $6) on conflict do nothing`,
      [datasetRow.id, key, extractId, version, deleted, bytes],
    );
    await client.query('update dataset_state set last_version = $2 where dataset_id = $1', [
      datasetRow.id,
      version,
    ]);
    await client.query(
      'update extracts set records_existing_deleted = records_existing_deleted + $2 where id = $1',
      [extractId, deleted],
    );
  });
}
