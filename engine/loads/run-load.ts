// One load, start to finish: the records of the stream's dataset that changed since the stream last settled (or
// the requested ids, or earlier temporary failures) are transformed, validated, delivered, and recorded page by page.
import path from 'node:path';
import { DestinationCreateSchema } from '../../lib/prequel/contract/destination';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import { StreamCreateSchema } from '../../lib/prequel/contract/stream';
import { openDatalakeForProvider } from '../datalake/open-datalake-for';
import { type DeliveryContext, deliverRecords, type RecordOutcome, type VersionedRecord } from '../deliver/deliver-records';
import type { DestinationThrottle } from '../deliver/destination-throttle';
import { notify } from '../deliver/monitoring-events';
import { SharedThrottle } from '../deliver/shared-throttle';
import { signingKey } from '../deliver/signing-key';
import type { EngineContext } from '../engine-context';
import type { JobError } from '../extract/extract-record';
import { type CachedRecord, latestVersion, readChangedRecords, readRecordsByIds } from '../extract/cached-records';
import { withTransaction } from '../store/db';
import { faultPoint } from '../extract/fault-points';
import { compileMappings } from '../transform/mapping/compile-mappings';
import { disableStream } from './disable-stream';
import type { LoadRow } from './load-record';

const PAGE = 1000;
const throttles = new WeakMap<EngineContext, Map<string, { key: string; throttle: DestinationThrottle }>>();

/** One throttle per destination and engine, rebuilt when its limits change; the limits themselves hold across engines. */
function throttleFor(engine: EngineContext, destinationId: string, perMinute: number, concurrency: number): DestinationThrottle {
  const key = `${perMinute}/${concurrency}`;
  const ofEngine = throttles.get(engine) ?? new Map<string, { key: string; throttle: DestinationThrottle }>();
  throttles.set(engine, ofEngine);
  const existing = ofEngine.get(destinationId);
  if (existing?.key === key) return existing.throttle;
  const throttle = new SharedThrottle({ db: engine.db, destinationId, recordsPerMinute: perMinute, maxConcurrency: concurrency });
  ofEngine.set(destinationId, { key, throttle });
  return throttle;
}

interface Counters {
  processed: number;
  transformed: number;
  valid: number;
  loaded: number;
  errored: number;
  retry: number;
  rejected: number;
  lastReason: string | null;
}

export interface RunLoadOptions {
  workerId: string;
  timeoutMs?: number;
  maxAttempts?: number;
  maxWaitMs?: number;
}

export async function runLoad(engine: EngineContext, loadId: string, options: RunLoadOptions): Promise<void> {
  const load = (
    await engine.db.query<LoadRow>(
      `update loads set status = 'running', started_at = coalesce(started_at, clock_timestamp()), worker_id = $2 where id = $1 and status in ('queued', 'running') returning *`,
      [loadId, options.workerId],
    )
  ).rows[0];
  if (!load) return;
  const counters: Counters = { processed: 0, transformed: 0, valid: 0, loaded: 0, errored: 0, retry: 0, rejected: 0, lastReason: null };
  try {
    const stream = (
      await engine.db.query<{ id: string; dataset_id: string; destination_id: string; provider_id: string; body: unknown; disabled_reason: string | null }>('select * from streams where id = $1', [load.stream_id])
    ).rows[0];
    if (!stream) throw new Error('The stream was deleted.');
    if (stream.disabled_reason) {
      const message = `The stream is disabled (${stream.disabled_reason}): enable it again once the endpoint is back.`;
      throw Object.assign(new Error(message), { blame: 'destination' as const, errorCode: 'stream_disabled' });
    }
    const config = StreamCreateSchema.parse(stream.body);
    const destinationRow = (await engine.db.query<{ body: unknown }>('select body from destinations where id = $1', [stream.destination_id])).rows[0]!;
    const destination = DestinationCreateSchema.parse(destinationRow.body);
    const columns = (await engine.db.query<{ columns: SchemaColumn[] | null }>('select columns from datasets where id = $1', [stream.dataset_id])).rows[0]?.columns ?? null;
    const compiled = compileMappings(config.mappings, destination.record_schema, columns);
    if (!compiled.ok) throw Object.assign(new Error(compiled.errors.map((error) => `${error.path}: ${error.message}`).join('; ')), { blame: 'configuration' as const });
    const key = await signingKey(engine);
    const format = destination.type === 'webhook_batch' ? destination.webhook_batch?.format : undefined;
    // csv/parquet batches are files in the provider's datalake, downloaded through signed links.
    const artifacts =
      format === 'csv' || format === 'parquet'
        ? { store: await openDatalakeForProvider(engine, stream.provider_id), workDir: path.join(engine.dataDir, 'work', 'batch-files') }
        : undefined;
    const context: DeliveryContext = {
      destination,
      streamId: stream.id,
      providerId: stream.provider_id,
      loadId,
      privateKey: key.privateKey,
      policy: { lookup: engine.lookup, allowPrivateHosts: engine.allowPrivateHosts },
      throttle: throttleFor(engine, stream.destination_id, destination.max_records_per_minute, destination.max_concurrency),
      artifacts,
      timeoutMs: options.timeoutMs,
      maxAttempts: options.maxAttempts,
      maxWaitMs: options.maxWaitMs,
    };
    const now = new Date();

    const processPage = async (records: CachedRecord[]) => {
      // A record version already delivered (e.g. before a crash) is not sent again.
      const settled = new Map(
        (
          await engine.db.query<{ record_id: string; version: string }>(
            `select record_id, version::text from stream_records where stream_id = $1 and record_id = any($2) and status = 'delivered'`,
            [stream.id, records.map((record) => record.recordId)],
          )
        ).rows.map((row) => [row.record_id, Number(row.version)]),
      );
      const todo = load.record_ids ? records : records.filter((record) => (settled.get(record.recordId) ?? -1) < record.version);
      const ledger: { recordId: string; version: number; status: string; transformed: unknown; error: unknown }[] = [];
      const outgoing: (VersionedRecord & { transformed: Record<string, unknown> })[] = [];
      for (const record of todo) {
        counters.processed++;
        const result = compiled.transform.apply(record, { now });
        if (!result.ok) {
          counters.errored++;
          const stage = result.errors.some((error) => error.stage === 'transform') ? 'transform_error' : 'schema_error';
          if (stage === 'schema_error') counters.transformed++;
          ledger.push({ recordId: record.recordId, version: record.version, status: stage, transformed: null, error: { error_code: stage, error_trace: result.errors.map((error) => `${error.target_field ?? ''}: ${error.message}`).join('; '), details: result.errors } });
          continue;
        }
        counters.transformed++;
        counters.valid++;
        outgoing.push({ recordId: record.recordId, version: record.version, isDeleted: record.isDeleted, record: result.record, transformed: result.record });
      }
      const outcomes: RecordOutcome[] = outgoing.length ? await deliverRecords(outgoing, context) : [];
      // Delivered but not yet recorded: the window where a crash makes the next attempt send them again.
      if (outgoing.length) faultPoint('load_after_send');
      outcomes.forEach((result, index) => {
        const sent = outgoing[index]!;
        if (result.status === 'delivered') counters.loaded++;
        else {
          counters.errored++;
          counters.lastReason = result.reason;
          if (result.status === 'retry') counters.retry++;
          else counters.rejected++;
        }
        ledger.push({
          recordId: result.recordId,
          version: result.version,
          status: result.status,
          transformed: sent.transformed,
          error: result.status === 'delivered' ? null : { error_code: result.status === 'retry' ? 'destination_unavailable' : 'destination_rejected', error_trace: result.reason },
        });
      });
      await withTransaction(engine.db, async (client) => {
        for (const entry of ledger) {
          await client.query(
            `insert into stream_records (stream_id, record_id, version, status, transformed, error, attempts, load_id) values ($1, $2, $3, $4, $5, $6, 1, $7)
             on conflict (stream_id, record_id) do update set version = excluded.version, status = excluded.status, transformed = excluded.transformed,
               error = excluded.error, attempts = stream_records.attempts + 1, load_id = excluded.load_id, updated_at = clock_timestamp()`,
            [stream.id, entry.recordId, entry.version, entry.status, entry.transformed === null ? null : JSON.stringify(entry.transformed), entry.error === null ? null : JSON.stringify(entry.error), loadId],
          );
        }
        await client.query(
          `update loads set records_processed = $2, records_transformed = $3, records_valid = $4, records_loaded = $5, records_errored = $6 where id = $1`,
          [loadId, counters.processed, counters.transformed, counters.valid, counters.loaded, counters.errored],
        );
      });
    };

    if (load.record_ids) {
      await processPage(await readRecordsByIds(engine, stream.dataset_id, load.record_ids));
    } else {
      const settledVersion = Number((await engine.db.query<{ v: string }>('select settled_version::text as v from stream_state where stream_id = $1', [stream.id])).rows[0]?.v ?? 0);
      const target = await latestVersion(engine, stream.dataset_id);
      // Records that failed temporarily in earlier loads go first.
      const retries = (await engine.db.query<{ record_id: string }>(`select record_id from stream_records where stream_id = $1 and status = 'retry'`, [stream.id])).rows.map((row) => row.record_id);
      for (let start = 0; start < retries.length && !context.gone; start += PAGE) await processPage(await readRecordsByIds(engine, stream.dataset_id, retries.slice(start, start + PAGE)));
      let after: string | null = null;
      while (!context.gone) {
        const page = await readChangedRecords(engine, stream.dataset_id, { afterVersion: settledVersion, afterRecordId: after, limit: PAGE });
        if (!page.length) break;
        await processPage(page.filter((record) => record.version <= target));
        after = page[page.length - 1]!.recordId;
      }
      // After a 410 the rest stays unsettled: it is read again once the stream is enabled.
      if (!context.gone) {
        await engine.db.query(
          `insert into stream_state (stream_id, settled_version) values ($1, $2) on conflict (stream_id) do update set settled_version = greatest(stream_state.settled_version, excluded.settled_version), updated_at = clock_timestamp()`,
          [stream.id, target],
        );
      }
    }

    if (context.gone) await disableStream(engine, stream.id, context.gone);
    const error: JobError | null = context.gone
      ? {
          error_code: 'destination_gone',
          title: 'The destination is gone; the stream was disabled',
          message: `${counters.retry + counters.rejected} record(s) not delivered: ${context.gone}. The stream was disabled; enable it again once the endpoint is back, and the next load delivers them.`,
          blame: 'destination',
          documentation_url: '/docs/errors#destination',
          trace: '',
        }
      : counters.retry + counters.rejected > 0
        ? {
            error_code: counters.retry > 0 ? 'destination_unavailable' : 'destination_rejected',
            title: counters.retry > 0 ? 'The destination could not take every record' : 'The destination rejected some records',
            message: `${counters.retry + counters.rejected} record(s) not delivered: ${counters.lastReason}.${counters.retry > 0 ? ' They will be retried by the next load.' : ''}`,
            blame: 'destination',
            documentation_url: '/docs/errors#destination',
            trace: '',
          }
        : null;
    const failed = counters.loaded === 0 && counters.retry + counters.rejected > 0;
    await engine.db.query(`update loads set status = $2, ended_at = clock_timestamp(), error = $3 where id = $1`, [loadId, failed ? 'failed' : 'succeeded', error === null ? null : JSON.stringify(error)]);
    engine.logger.info('load finished', { load_id: loadId, loaded: counters.loaded, errored: counters.errored });
    const outcome = failed ? 'load.failed' : error ? 'load.partially_failed' : 'load.succeeded';
    notify(engine, outcome, { load_id: loadId, stream_id: stream.id, provider_id: stream.provider_id, records_loaded: counters.loaded, records_errored: counters.errored, error, message: error?.message });
  } catch (failure) {
    const blame = (failure as { blame?: JobError['blame'] }).blame ?? 'engine';
    const code = (failure as { errorCode?: string }).errorCode ?? (blame === 'configuration' ? 'invalid_stream' : 'engine_error');
    const error: JobError = { error_code: code, title: 'The load failed', message: (failure as Error).message, blame, documentation_url: '/docs/errors#load', trace: '' };
    engine.logger.warn('load failed', { load_id: loadId, code: error.error_code });
    await engine.db.query(`update loads set status = 'failed', ended_at = clock_timestamp(), error = $2 where id = $1`, [loadId, JSON.stringify(error)]);
    notify(engine, 'load.failed', { load_id: loadId, stream_id: load.stream_id, error, message: error.message });
  }
}
