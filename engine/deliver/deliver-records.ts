// Delivers transformed records to a destination: one request per record or per batch, signed,
// throttled, retried within the load (backoff, Retry-After), and batches split to isolate the
// records an endpoint rejects.
import type { KeyObject } from 'node:crypto';
import type { DestinationCreate } from '../../lib/prequel/contract/destination';
import type { HostPolicy } from '../net/host-policy';
import { type ArtifactTarget, publishBatchFile } from './batch-artifact';
import type { DestinationThrottle, ThrottleSender } from './destination-throttle';
import {
  type BatchFile,
  bodyBytes,
  createRequestRenderer,
  type OutgoingRecord,
  type RenderedRequest,
  type RequestRenderer,
} from './render-request';
import { backoffDelay, judgeAttempt, type Verdict } from './retry-policy';
import { sendRequest } from './send-request';
import { deliveryId, signDelivery } from './sign-delivery';
import { sendWithSplitting } from './split-batch';

export interface VersionedRecord extends OutgoingRecord {
  version: number;
}

export type RecordOutcome = { recordId: string; version: number } & (
  | { status: 'delivered' }
  | { status: 'rejected'; reason: string }
  /**
   * `notBeforeMs`: the endpoint's Retry-After, when it asked for a wait the load would not make.
   */
  | { status: 'retry'; reason: string; notBeforeMs?: number }
  /**
   * Not sent because the load was asked to stop (see `stopped`): nothing to record, the next load
   * sends it.
   */
  | { status: 'skipped' }
);

export interface DeliveryContext {
  destination: DestinationCreate;
  streamId: string;
  providerId: string;
  loadId: string;
  privateKey: KeyObject;
  policy: HostPolicy;
  throttle: DestinationThrottle;
  /**
   * Where webhook_batch csv/parquet files are published (the provider's datalake); required for
   * those formats.
   */
  artifacts?: ArtifactTarget;
  /** Attempts per request within one load before the record waits for its scheduled retry. */
  maxAttempts?: number;
  /**
   * The longest wait between attempts (Retry-After beyond it defers the record to its scheduled
   * retry).
   */
  maxWaitMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Set at the first 410 Gone (why): nothing more is sent in this load, and the stream is to be
   * disabled.
   */
  gone?: string;
  /**
   * Whether the load was cancelled: no request starts from then on (one in flight finishes), the
   * rest is `skipped`.
   */
  stopped?: () => boolean;
  /**
   * (ext) Every current record sent again: new delivery ids (of this load), so a receiver that
   * de-duplicates stores them again, and `X-Prequel-Redelivery: true`.
   */
  redelivery?: boolean;
}

/** What delivery ids derive from: the stream, and for a redelivery the load too. */
const idScope = (context: DeliveryContext) =>
  context.redelivery
    ? `${context.streamId}\u0000redelivery\u0000${context.loadId}`
    : context.streamId;

/**
 * Records delivered together as far as the caller is concerned: it hears of them once all have an
 * outcome.
 */
export interface DeliveryPage<R extends VersionedRecord = VersionedRecord> {
  records: R[];
  /**
   * `toJson` of the records' `record`s, in order, as UTF-8, when the caller wrote it: a batch of
   * the whole page reuses it.
   */
  json?: Buffer;
}

/**
 * Called once per page, when every record of it has its outcome (one each, in no particular order).
 */
export type PageSettled<P> = (page: P, outcomes: RecordOutcome[]) => void;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type FinalVerdict = Exclude<Verdict, { action: 'gone' }>;

/** After a 410 the records wait, as temporary failures, for the stream to be enabled again. */
const notSentAfterGone = (context: DeliveryContext): FinalVerdict => ({
  action: 'retry',
  reason: `not sent: ${context.gone}`,
});

/**
 * Sends one request until it is delivered, rejected, or out of attempts (or the endpoint is gone:
 * see `gone`).
 */
async function sendWithRetries(
  request: RenderedRequest,
  records: number,
  delivery: string,
  context: DeliveryContext,
  sender: ThrottleSender,
): Promise<FinalVerdict> {
  const maxAttempts = context.maxAttempts ?? 4;
  const maxWaitMs = context.maxWaitMs ?? 30_000;
  const sleep = context.sleep ?? defaultSleep;
  let verdict: Verdict = { action: 'retry', reason: 'not attempted' };
  // Encoded once: every attempt signs and sends the same bytes (a batch body is hundreds of
  // kilobytes).
  const encoded = { ...request, body: bodyBytes(request.body) };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (context.gone) return notSentAfterGone(context);
    const result = await sender.run(records, async () => {
      // Signed per attempt: the timestamp is fresh, the delivery id is the same.
      const signed = await signDelivery(encoded.body, {
        privateKey: context.privateKey,
        providerId: context.providerId,
        deliveryId: delivery,
      });
      const headers: Record<string, string> = context.redelivery
        ? { ...signed, 'X-Prequel-Redelivery': 'true' }
        : { ...signed };
      return sendRequest(encoded, {
        policy: context.policy,
        timeoutMs: context.timeoutMs,
        headers,
      });
    });
    verdict = judgeAttempt(result.outcome);
    if (verdict.action === 'gone') {
      context.gone ??= verdict.reason;
      return { action: 'retry', reason: verdict.reason };
    }
    if (verdict.action !== 'retry') return verdict;
    if (attempt === maxAttempts) break;
    const wait = Math.max(
      (verdict.notBeforeMs ?? 0) - Date.now(),
      backoffDelay(attempt, { baseMs: 200, maxMs: maxWaitMs }),
    );
    if (wait > maxWaitMs)
      return {
        action: 'retry',
        reason:
          `${verdict.reason}; asked to wait ${Math.round(wait / 1000)} s, a scheduled ` +
          `retry will`,
        notBeforeMs: verdict.notBeforeMs,
      };
    await sleep(wait);
  }
  if (verdict.action !== 'retry')
    return { action: 'retry', reason: `failed after ${maxAttempts} attempts` };
  return {
    action: 'retry',
    reason: `${verdict.reason} after ${maxAttempts} attempts`,
    ...(verdict.notBeforeMs !== undefined ? { notBeforeMs: verdict.notBeforeMs } : {}),
  };
}

function outcomeOf(record: VersionedRecord, verdict: Verdict): RecordOutcome {
  const { recordId, version } = record;
  if (verdict.action === 'delivered') return { recordId, version, status: 'delivered' };
  if (verdict.action === 'retry')
    return {
      recordId,
      version,
      status: 'retry',
      reason: verdict.reason,
      ...(verdict.notBeforeMs !== undefined ? { notBeforeMs: verdict.notBeforeMs } : {}),
    };
  return {
    recordId,
    version,
    status: verdict.action === 'reject' ? 'rejected' : 'retry',
    reason: verdict.reason,
  };
}

/**
 * Delivers pages of records as the caller produces them, so the next page is read and transformed
 * while this one is sent. webhook_record keeps max_concurrency requests in flight across page
 * boundaries; webhook_batch sends a page's batches one after the other.
 */
export async function deliverPages<P extends DeliveryPage>(
  pages: AsyncIterable<P>,
  context: DeliveryContext,
  settled: PageSettled<P>,
): Promise<void> {
  const renderer = createRequestRenderer(context.destination, context.providerId);
  if (context.destination.type === 'webhook_record')
    await deliverEachRecord(pages, context, renderer, settled);
  else await deliverBatches(pages, context, renderer, settled);
}

/** Delivers one set of records and returns their outcomes (one each, in no particular order). */
export async function deliverRecords(
  records: VersionedRecord[],
  context: DeliveryContext,
): Promise<RecordOutcome[]> {
  let outcomes: RecordOutcome[] = [];
  await deliverPages(onePage({ records }), context, (_page, settledOutcomes) => {
    outcomes = settledOutcomes;
  });
  return outcomes;
}

async function* onePage<P>(page: P): AsyncGenerator<P> {
  yield page;
}

/** A page in flight in webhook_record: it settles when its last record does. */
class PendingPage<P extends DeliveryPage> {
  private readonly outcomes: RecordOutcome[] = [];

  constructor(
    private readonly page: P,
    private readonly settled: PageSettled<P>,
  ) {}

  add(outcome: RecordOutcome) {
    this.outcomes.push(outcome);
    if (this.outcomes.length === this.page.records.length) this.settled(this.page, this.outcomes);
  }
}

async function* recordsOf<P extends DeliveryPage>(
  pages: AsyncIterable<P>,
  settled: PageSettled<P>,
) {
  for await (const page of pages) {
    if (!page.records.length) {
      settled(page, []);
      continue;
    }
    const pending = new PendingPage(page, settled);
    for (const record of page.records) yield { record, pending };
  }
}

async function deliverEachRecord<P extends DeliveryPage>(
  pages: AsyncIterable<P>,
  context: DeliveryContext,
  renderer: RequestRenderer,
  settled: PageSettled<P>,
) {
  const concurrency = Math.max(
    1,
    context.destination.webhook_record?.max_concurrency ?? context.destination.max_concurrency,
  );
  // One queue for every worker: an async generator hands each waiting worker the next record, in
  // order.
  const queue = recordsOf(pages, settled);
  let failed = false;
  const worker = async () => {
    const sender = context.throttle.sender();
    try {
      for (let next = await queue.next(); !next.done && !failed; next = await queue.next()) {
        const { record, pending } = next.value;
        if (context.stopped?.()) {
          pending.add({ recordId: record.recordId, version: record.version, status: 'skipped' });
          continue;
        }
        const rendered = renderer.forRecord(record);
        const verdict: Verdict = rendered.ok
          ? await sendWithRetries(
              rendered.request,
              1,
              deliveryId(idScope(context), record.recordId, record.version),
              context,
              sender,
            )
          : { action: 'reject', reason: rendered.message };
        pending.add(outcomeOf(record, verdict));
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      await sender.close();
    }
  };
  // Every worker has stopped before this returns (or throws): nothing is sent behind the caller's
  // back.
  const workers = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  await queue.return(undefined);
  const failure = workers.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

async function deliverBatches<P extends DeliveryPage>(
  pages: AsyncIterable<P>,
  context: DeliveryContext,
  renderer: RequestRenderer,
  settled: PageSettled<P>,
) {
  const batchSize = context.destination.webhook_batch?.max_records_per_batch ?? 1000;
  const format = context.destination.webhook_batch?.format;
  const fileFormat = format === 'csv' || format === 'parquet' ? format : null;
  const artifacts = context.artifacts;
  if (fileFormat && !artifacts)
    throw new Error(`A ${fileFormat} batch destination needs a datalake to publish its files to.`);

  const sendBatch = async (
    items: VersionedRecord[],
    sender: ThrottleSender,
    pageJson?: Buffer,
  ): Promise<FinalVerdict> => {
    // After a 410 nothing is sent, so there is no file to publish either.
    if (context.gone) return notSentAfterGone(context);
    // A batch's id names its exact contents, so a retry of the same batch is recognisable.
    const id = deliveryId(
      idScope(context),
      items.map((item) => item.recordId).join(','),
      items.map((item) => item.version).join(','),
    );
    let file: BatchFile | undefined;
    if (fileFormat && artifacts) {
      const batchFile = {
        format: fileFormat,
        deliveryId: id,
        providerId: context.providerId,
        loadId: context.loadId,
        recordSchema: context.destination.record_schema,
      };
      const published = await publishBatchFile(items, batchFile, artifacts);
      if (!published.ok) return { action: published.action, reason: published.reason };
      file = published.file;
    }
    const rendered = renderer.forBatch(items, context.loadId, file, pageJson);
    if (!rendered.ok) return { action: 'reject', reason: rendered.message };
    return sendWithRetries(rendered.request, items.length, id, context, sender);
  };

  const sender = context.throttle.sender();
  try {
    for await (const page of pages) {
      const outcomes: RecordOutcome[] = [];
      for (let start = 0; start < page.records.length; start += batchSize) {
        if (context.stopped?.()) {
          outcomes.push(
            ...page.records.slice(start, start + batchSize).map((record): RecordOutcome => ({
              recordId: record.recordId,
              version: record.version,
              status: 'skipped',
            })),
          );
          continue;
        }
        // Each half of a split batch is a batch of its own: its own id and, for csv/parquet, its
        // own file. A batch of the whole page (the usual case) is written from the page's JSON; a
        // split half writes its own.
        const split = await sendWithSplitting(
          page.records.slice(start, start + batchSize),
          (items) =>
            sendBatch(items, sender, items.length === page.records.length ? page.json : undefined),
        );
        outcomes.push(
          ...split.delivered.map((record) => outcomeOf(record, { action: 'delivered' })),
        );
        outcomes.push(
          ...split.rejected.map(({ item, reason }) =>
            outcomeOf(item, { action: 'reject', reason }),
          ),
        );
        for (const group of split.retry)
          outcomes.push(
            ...group.items.map((record) =>
              outcomeOf(record, {
                action: 'retry',
                reason: group.reason,
                notBeforeMs: group.notBeforeMs,
              }),
            ),
          );
      }
      settled(page, outcomes);
    }
  } finally {
    await sender.close();
  }
}
