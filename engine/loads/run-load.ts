// One load, start to finish: the records of the stream's dataset that changed since the stream last
// settled (or the requested ids, or earlier temporary failures, or only those for a scheduled
// retry, or every current record for a redelivery) are transformed, validated, delivered, and
// recorded page by page, the stages overlapping: page k+1 is read and transformed (in the load
// thread, on another core) while page k is sent, and page k's outcomes are written while page k+1
// is sent.
import path from 'node:path';
import type { JobError } from '../../lib/prequel/contract/job';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import { StreamCreateSchema } from '../../lib/prequel/contract/stream';
import { latestVersion, readCacheManifest } from '../cache/cached-records';
import { openDatalakeForProvider } from '../datalake/open-datalake-for';
import {
  type DeliveryContext,
  type DeliveryPage,
  deliverPages,
  type RecordOutcome,
  type VersionedRecord,
} from '../deliver/deliver-records';
import type { DestinationThrottle } from '../deliver/destination-throttle';
import { toJson } from '../deliver/render-request';
import { SharedThrottle } from '../deliver/shared-throttle';
import { signingKey } from '../deliver/signing-key';
import type { EngineContext } from '../engine-context';
import { notify } from '../events/monitoring-events';
import { watchCancel } from '../jobs/cancel-job';
import type { SharedJob } from '../jobs/fair-share';
import { faultPoint } from '../jobs/fault-points';
import { JobFailure, jobErrorOf } from '../jobs/job-failure';
import { loadDestinationConfig } from '../resources/load-destination';
import { createTransformCache } from '../transform/mapping/compiled-transform-cache';
import { disableStream } from './disable-stream';
import { DEFAULT_DISABLE_AFTER_FAILING_MS, recordFailingRun } from './failing-streams';
import { planRetry } from './load-retries';
import { type LedgerEntry, ledgerIsEmpty, type LoadCounts, LoadLedger } from './load-ledger';
import type { LoadRow } from './load-record';
import { pageThread, type ThreadPage, type ThreadReader } from './page-thread-client';
import { readAhead } from './read-ahead';

const PAGE = 1000;
// Compiling a stream's mappings (its record_schema with ajv above all) costs about as much as
// transforming a few thousand records: loads of an unchanged stream reuse it. (Checked here for the
// load's error; the load thread compiles its own.)
const compileMappings = createTransformCache();
const throttles = new WeakMap<
  EngineContext,
  Map<string, { key: string; throttle: DestinationThrottle }>
>();

/**
 * One throttle per destination and engine, rebuilt when its limits change; the limits themselves
 * hold across engines.
 */
function throttleFor(
  engine: EngineContext,
  destinationId: string,
  perMinute: number,
  concurrency: number,
): DestinationThrottle {
  const key = `${perMinute}/${concurrency}`;
  const ofEngine =
    throttles.get(engine) ?? new Map<string, { key: string; throttle: DestinationThrottle }>();
  throttles.set(engine, ofEngine);
  const existing = ofEngine.get(destinationId);
  if (existing?.key === key) return existing.throttle;
  const throttle = new SharedThrottle({
    db: engine.db,
    destinationId,
    recordsPerMinute: perMinute,
    maxConcurrency: concurrency,
  });
  ofEngine.set(destinationId, { key, throttle });
  return throttle;
}

interface Counters extends LoadCounts {
  retry: number;
  rejected: number;
  lastReason: string | null;
  /** The latest Retry-After among the records left waiting (ms since the epoch). */
  retryNotBefore: number | null;
  /**
   * Records not sent because the load was cancelled (neither counted nor recorded: the next load
   * sends them).
   */
  skipped: number;
}

export interface RunLoadOptions {
  workerId: string;
  /**
   * The load among the process's jobs: once it has run for a while, it gives way to other tenants'
   * small jobs before each page.
   */
  share?: SharedJob;
  timeoutMs?: number;
  maxAttempts?: number;
  maxWaitMs?: number;
  /**
   * How long every delivery may fail before the stream is disabled
   * (DEFAULT_DISABLE_AFTER_FAILING_MS).
   */
  disableAfterFailingMs?: number;
  /** The delays between retries of undelivered records (DEFAULT_RETRY_SCHEDULE_MS). */
  retryScheduleMs?: readonly number[];
}

interface StreamRow {
  id: string;
  dataset_id: string;
  destination_id: string;
  provider_id: string;
  body: unknown;
  disabled_reason: string | null;
}

/**
 * The valid records of a page, ready to send, and the ledger entries of those that failed the
 * transform.
 */
interface TransformedPage extends DeliveryPage {
  failures: LedgerEntry[];
}

/**
 * The stream, its compiled mappings and everything a delivery needs; throws what makes the load
 * fail at once.
 */
async function prepareLoad(engine: EngineContext, load: LoadRow, options: RunLoadOptions) {
  const stream = (
    await engine.db.query<StreamRow>('select * from streams where id = $1', [load.stream_id])
  ).rows[0];
  if (!stream) throw new Error('The stream was deleted.');
  if (stream.disabled_reason) {
    const message =
      `The stream is disabled (${stream.disabled_reason}): enable it again once ` +
      `the endpoint is back.`;
    throw new JobFailure('destination', 'stream_disabled', 'The load failed', message);
  }
  const config = StreamCreateSchema.parse(stream.body);
  // With its secret headers (Authorization...), which are sealed apart from the body.
  const destination = await loadDestinationConfig(engine, stream.destination_id);
  if (!destination) throw new Error('The destination was deleted.');
  const columns =
    (
      await engine.db.query<{ columns: SchemaColumn[] | null }>(
        'select columns from datasets where id = $1',
        [stream.dataset_id],
      )
    ).rows[0]?.columns ?? null;
  const compiled = compileMappings(config.mappings, destination.record_schema, columns);
  if (!compiled.ok)
    throw new JobFailure(
      'configuration',
      'invalid_stream',
      'The load failed',
      compiled.errors.map((error) => `${error.path}: ${error.message}`).join('; '),
    );
  const key = await signingKey(engine);
  const format =
    destination.type === 'webhook_batch' ? destination.webhook_batch?.format : undefined;
  // Only a json batch with the default body goes as the page's JSON; every other request reads the
  // records.
  const template =
    destination.type === 'webhook_batch'
      ? destination.webhook_batch?.request_template
      : destination.webhook_record?.request_template;
  const objects =
    destination.type !== 'webhook_batch' || format !== 'json' || Boolean(template?.body);
  const mapping = {
    mappings: config.mappings,
    recordSchema: destination.record_schema,
    columns,
    objects,
  };
  // csv/parquet batches are files in the provider's datalake, downloaded through signed links.
  const artifacts =
    format === 'csv' || format === 'parquet'
      ? {
          store: await openDatalakeForProvider(engine, stream.provider_id),
          workDir: path.join(engine.dataDir, 'work', 'batch-files'),
        }
      : undefined;
  const context: DeliveryContext = {
    destination,
    streamId: stream.id,
    providerId: stream.provider_id,
    loadId: load.id,
    privateKey: key.privateKey,
    policy: { lookup: engine.lookup, allowPrivateHosts: engine.allowPrivateHosts },
    throttle: throttleFor(
      engine,
      stream.destination_id,
      destination.max_records_per_minute,
      destination.max_concurrency,
    ),
    artifacts,
    // (ext) A destination may set its own deadline (a slow endpoint); the engine's applies
    // otherwise.
    timeoutMs:
      destination.timeout_seconds !== undefined
        ? destination.timeout_seconds * 1000
        : options.timeoutMs,
    maxAttempts: options.maxAttempts,
    maxWaitMs: options.maxWaitMs,
  };
  return { stream, mapping, context };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    result.push(items.slice(start, start + size));
  return result;
}

/**
 * What a load has to go through, page by page, transformed by the load thread; it stops once the
 * destination is gone.
 */
async function* threadPages(
  engine: EngineContext,
  load: LoadRow,
  reader: ThreadReader,
  context: DeliveryContext,
  versions: { settled: number; target: number },
): AsyncGenerator<ThreadPage> {
  const byIds = async (ids: string[]) => (await reader.page({ kind: 'ids', ids }))!;
  if (load.record_ids) {
    for (const ids of chunks(load.record_ids, PAGE)) yield await byIds(ids);
    return;
  }
  // A redelivery reads every current record, those waiting for a retry included.
  if (load.mode === 'redeliver') {
    for (;;) {
      if (context.gone || context.stopped?.()) return;
      const page = await reader.page({
        kind: 'changed',
        afterVersion: 0,
        upToVersion: versions.target,
        pageSize: PAGE,
        skip: [],
      });
      if (!page) return;
      yield page;
    }
  }
  // Records that failed temporarily in earlier loads go first (a scheduled retry sends only them).
  const retries = (
    await engine.db.query<{ record_id: string }>(
      `select record_id from stream_records where stream_id = $1 and status = 'retry'`,
      [load.stream_id],
    )
  ).rows.map((row) => row.record_id);
  for (const ids of chunks(retries, PAGE)) {
    if (context.gone || context.stopped?.()) return;
    yield await byIds(ids);
  }
  if (load.mode === 'retry') return;
  // Their latest versions were just read: the changed records skip them rather than send them
  // twice.
  let skip = retries;
  for (;;) {
    if (context.gone || context.stopped?.()) return;
    const page = await reader.page({
      kind: 'changed',
      afterVersion: versions.settled,
      upToVersion: versions.target,
      pageSize: PAGE,
      skip,
    });
    if (!page) return;
    skip = [];
    yield page;
  }
}

/**
 * A page's transformed records as objects, parsed from its JSON only if something reads one (a
 * split batch).
 */
class PageObjects {
  constructor(
    private readonly json: Buffer,
    private objects: Record<string, unknown>[] | null,
  ) {}

  at(index: number): Record<string, unknown> {
    // Exact: transformed records hold no bigints, so their JSON reads back as what was written.
    this.objects ??= JSON.parse(this.json.toString('utf8')) as Record<string, unknown>[];
    return this.objects[index]!;
  }
}

class PageRecord implements VersionedRecord {
  constructor(
    readonly recordId: string,
    readonly version: number,
    readonly isDeleted: boolean,
    private readonly objects: PageObjects,
    private readonly index: number,
  ) {}

  get record(): Record<string, unknown> {
    return this.objects.at(this.index);
  }
}

/**
 * Drops versions already delivered (e.g. before a crash) unless the ids were asked for, the ledger
 * was empty when the load began (nothing was delivered before, and a load reads each record once)
 * or everything is sent again; a redelivery drops deleted records (it sends what exists). Counts
 * the rest.
 */
async function deliverablePage(
  engine: EngineContext,
  load: LoadRow,
  page: ThreadPage,
  counters: Counters,
  freshLedger: boolean,
): Promise<TransformedPage> {
  const json = Buffer.from(page.json.buffer, page.json.byteOffset, page.json.byteLength);
  const ids = [...page.recordIds, ...page.failures.map((failure) => failure.recordId)];
  const redelivery = load.mode === 'redeliver';
  const delivered =
    !load.record_ids && !freshLedger && !redelivery && ids.length
      ? (
          await engine.db.query<{ record_id: string; version: string }>(
            `select record_id, version::text from stream_records where stream_id = $1 and ` +
              `record_id = any($2) and status = 'delivered'`,
            [load.stream_id, ids],
          )
        ).rows
      : [];
  const settled = new Map(delivered.map((row) => [row.record_id, Number(row.version)]));
  const isNew = (recordId: string, version: number) => (settled.get(recordId) ?? -1) < version;
  const objects = new PageObjects(json, page.objects);
  const result: TransformedPage = { records: [], failures: [] };
  for (let index = 0; index < page.recordIds.length; index++) {
    const recordId = page.recordIds[index]!;
    const version = page.versions[index]!;
    if (!isNew(recordId, version) || (redelivery && page.deleted[index])) continue;
    counters.processed++;
    counters.transformed++;
    counters.valid++;
    result.records.push(new PageRecord(recordId, version, page.deleted[index]!, objects, index));
  }
  for (const { recordId, version, errors } of page.failures) {
    if (!isNew(recordId, version)) continue;
    counters.processed++;
    counters.errored++;
    const stage = errors.some((error) => error.stage === 'transform')
      ? 'transform_error'
      : 'schema_error';
    if (stage === 'schema_error') counters.transformed++;
    const trace = errors.map((error) => `${error.target_field ?? ''}: ${error.message}`).join('; ');
    result.failures.push({
      recordId,
      version,
      status: stage,
      transformedIndex: null,
      error: { error_code: stage, error_trace: trace, details: errors },
    });
  }
  // The thread's JSON is the page's (body and ledger) unless records were dropped.
  result.json =
    result.records.length === page.recordIds.length
      ? json
      : Buffer.from(toJson(result.records.map((record) => record.record)));
  return result;
}

/**
 * The ledger entry of a record that was sent (or given up on), pointing at its transformed record
 * in the page; none for one never sent.
 */
function deliveredEntry(
  outcome: RecordOutcome,
  transformedIndex: number,
  counters: Counters,
): LedgerEntry | null {
  if (outcome.status === 'skipped') {
    // Counted as read when its page was: it was not handled after all.
    counters.skipped++;
    counters.processed--;
    counters.transformed--;
    counters.valid--;
    return null;
  }
  if (outcome.status === 'delivered') {
    counters.loaded++;
    return {
      recordId: outcome.recordId,
      version: outcome.version,
      status: 'delivered',
      transformedIndex,
      error: null,
    };
  }
  counters.errored++;
  counters.lastReason = outcome.reason;
  if (outcome.status === 'retry') {
    counters.retry++;
    if (outcome.notBeforeMs !== undefined)
      counters.retryNotBefore = Math.max(counters.retryNotBefore ?? 0, outcome.notBeforeMs);
  } else counters.rejected++;
  const errorCode = outcome.status === 'retry' ? 'destination_unavailable' : 'destination_rejected';
  return {
    recordId: outcome.recordId,
    version: outcome.version,
    status: outcome.status,
    transformedIndex,
    error: { error_code: errorCode, error_trace: outcome.reason },
  };
}

/** "at 14:05:09 UTC", for a message that outlives the page showing it. */
function retryTime(nextRetryAt: string | null): string {
  return nextRetryAt ? `at ${nextRetryAt.slice(11, 19)} UTC` : 'once the stream is enabled';
}

function loadError(
  counters: Counters,
  gone: string | undefined,
  failingTooLong: string | null,
  nextRetryAt: string | null,
): JobError | null {
  const notDelivered = counters.retry + counters.rejected;
  if (gone) {
    return {
      error_code: 'destination_gone',
      title: 'The destination is gone; the stream was disabled',
      message:
        `${notDelivered} record(s) not delivered: ${gone}. The stream was disabled; ` +
        `enable it again once the endpoint is back, and the next load delivers them.`,
      blame: 'destination',
      documentation_url: '/docs/errors#destination',
      trace: '',
    };
  }
  if (notDelivered === 0) return null;
  if (failingTooLong) {
    return {
      error_code: 'destination_unavailable',
      title: 'The destination has been failing for too long; the stream was disabled',
      message:
        `${notDelivered} record(s) not delivered: ${failingTooLong}. The stream was ` +
        `disabled; enable it again once the endpoint is back, and the next load delivers them.`,
      blame: 'destination',
      documentation_url: '/docs/errors#destination',
      trace: '',
    };
  }
  const retryNote =
    counters.retry > 0
      ? ` The ${counters.retry} waiting are retried automatically, next ${retryTime(nextRetryAt)}.`
      : '';
  return {
    error_code: counters.retry > 0 ? 'destination_unavailable' : 'destination_rejected',
    title:
      counters.retry > 0
        ? 'The destination could not take every record'
        : 'The destination rejected some records',
    message: `${notDelivered} record(s) not delivered: ${counters.lastReason}.${retryNote}`,
    blame: 'destination',
    documentation_url: '/docs/errors#destination',
    trace: '',
  };
}

export async function runLoad(
  engine: EngineContext,
  loadId: string,
  options: RunLoadOptions,
): Promise<void> {
  const load = (
    await engine.db.query<LoadRow>(
      `update loads set status = 'running', started_at = coalesce(started_at, ` +
        `clock_timestamp()), worker_id = $2 where id = $1 and status in ('queued', 'running') ` +
        `returning *`,
      [loadId, options.workerId],
    )
  ).rows[0];
  if (!load) return;
  const counters: Counters = {
    processed: 0,
    transformed: 0,
    valid: 0,
    loaded: 0,
    errored: 0,
    retry: 0,
    rejected: 0,
    lastReason: null,
    retryNotBefore: null,
    skipped: 0,
  };
  const freshLedger = await ledgerIsEmpty(engine.db, load.stream_id);
  const ledger = new LoadLedger(
    engine.db,
    load.stream_id,
    loadId,
    freshLedger,
    load.mode === 'redeliver',
  );
  let reader: ThreadReader | null = null;
  const cancel = watchCancel(engine.db, 'loads', loadId);
  try {
    const { stream, mapping, context } = await prepareLoad(engine, load, options);
    // Checked before each page is read and each request is sent: what went out is recorded, the
    // rest waits.
    context.stopped = () => cancel.requested;
    context.redelivery = load.mode === 'redeliver';
    const settledVersion = Number(
      (
        await engine.db.query<{ v: string }>(
          'select settled_version::text as v from stream_state where stream_id = $1',
          [stream.id],
        )
      ).rows[0]?.v ?? 0,
    );
    const target = await latestVersion(engine, stream.dataset_id);
    reader = await pageThread.open({
      providerId: stream.provider_id,
      manifest: await readCacheManifest(engine, stream.dataset_id),
      ...mapping,
      now: Date.now(),
    });

    const deliverable = async function* (pages: AsyncIterable<ThreadPage>) {
      for await (const page of pages) {
        // No further ahead than the ledger keeps up with, nor than other tenants' small jobs allow.
        await ledger.room();
        await options.share?.giveWay();
        yield await deliverablePage(engine, load, page, counters, freshLedger);
      }
    };
    const pages = readAhead(
      deliverable(threadPages(engine, load, reader, context, { settled: settledVersion, target })),
    );
    await deliverPages(pages, context, (page, outcomes) => {
      // Delivered but not yet recorded: the window where a crash makes the next attempt send them
      // again.
      if (page.records.length) faultPoint('load_after_send');
      // Outcomes come in no particular order (a split batch reports its halves apart): each finds
      // its own record (a page holds one version of a record, at most).
      const indexOf = new Map(page.records.map((record, index) => [record.recordId, index]));
      const entries = [
        ...page.failures,
        ...outcomes.flatMap(
          (outcome) => deliveredEntry(outcome, indexOf.get(outcome.recordId)!, counters) ?? [],
        ),
      ];
      ledger.append({ entries, transformedJson: page.json ?? null }, counters);
    });
    await ledger.drain();

    // After a 410 the rest stays unsettled: it is read again once the stream is enabled; after a
    // cancel, by the next load (which skips the versions this one delivered).
    const cancelled = cancel.requested;
    if (load.mode !== 'retry' && !load.record_ids && !context.gone && !cancelled) {
      await engine.db.query(
        `insert into stream_state (stream_id, settled_version) values ($1, $2) on conflict ` +
          `(stream_id) do update set settled_version = greatest(stream_state.settled_version, ` +
          `excluded.settled_version), updated_at = clock_timestamp()`,
        [stream.id, target],
      );
    }
    const deliveries = {
      delivered: counters.loaded,
      unavailable: counters.retry,
      startedAt: new Date(load.started_at!),
      lastReason: counters.lastReason,
    };
    const failingTooLong = await recordFailingRun(
      engine,
      stream.id,
      deliveries,
      options.disableAfterFailingMs ?? DEFAULT_DISABLE_AFTER_FAILING_MS,
    );
    const disableBecause = context.gone ?? failingTooLong;
    if (disableBecause) await disableStream(engine, stream.id, disableBecause);
    const nextRetryAt = await planRetry(
      engine.db,
      stream.id,
      {
        delivered: counters.loaded,
        unavailable: counters.retry,
        notBeforeMs: counters.retryNotBefore,
      },
      { schedule: options.retryScheduleMs },
    );
    const error = loadError(
      counters,
      context.gone,
      failingTooLong,
      disableBecause ? null : nextRetryAt,
    );
    const failed = counters.loaded === 0 && counters.retry + counters.rejected > 0;
    const status = cancelled ? 'cancelled' : failed ? 'failed' : 'succeeded';
    await engine.db.query(
      `update loads set status = $2, ended_at = clock_timestamp(), error = $3, records_processed ` +
        `= $4, records_transformed = $5, records_valid = $6, records_loaded = $7, ` +
        `records_errored = $8 where id = $1`,
      [
        loadId,
        status,
        error === null ? null : JSON.stringify(error),
        counters.processed,
        counters.transformed,
        counters.valid,
        counters.loaded,
        counters.errored,
      ],
    );
    engine.logger.info(cancelled ? 'load cancelled' : 'load finished', {
      load_id: loadId,
      loaded: counters.loaded,
      errored: counters.errored,
      not_sent: counters.skipped,
    });
    // A cancel was someone's decision, not an outcome to alert on.
    if (cancelled) return;
    const outcome = failed ? 'load.failed' : error ? 'load.partially_failed' : 'load.succeeded';
    notify(engine, outcome, {
      load_id: loadId,
      stream_id: stream.id,
      provider_id: stream.provider_id,
      records_loaded: counters.loaded,
      records_errored: counters.errored,
      error,
      message: error?.message,
    });
  } catch (failure) {
    // What was sent before the failure is still recorded, so it is not sent again.
    await ledger.drain().catch(() => {});
    const error = jobErrorOf(
      failure instanceof JobFailure
        ? failure
        : new JobFailure('engine', 'engine_error', 'The load failed', (failure as Error).message),
      'load',
    );
    engine.logger.warn('load failed', { load_id: loadId, code: error.error_code });
    await engine.db.query(
      `update loads set status = 'failed', ended_at = clock_timestamp(), error = $2 where id = $1`,
      [loadId, JSON.stringify(error)],
    );
    // Records still waiting keep a retry planned, whatever stopped this load.
    await planRetry(
      engine.db,
      load.stream_id,
      {
        delivered: counters.loaded,
        unavailable: counters.retry,
        notBeforeMs: counters.retryNotBefore,
      },
      { schedule: options.retryScheduleMs },
    ).catch((planFailure: Error) =>
      engine.logger.warn('could not plan the retry of a failed load', {
        load_id: loadId,
        message: planFailure.message,
      }),
    );
    notify(engine, 'load.failed', {
      load_id: loadId,
      stream_id: load.stream_id,
      error,
      message: error.message,
    });
  } finally {
    cancel.stop();
    await reader?.close();
  }
}
