// Delivers transformed records to a destination: one request per record or per batch, signed, throttled,
// retried within the load (backoff, Retry-After), and batches split to isolate the records an endpoint rejects.
import type { KeyObject } from 'node:crypto';
import type { DestinationCreate } from '../../lib/prequel/contract/destination';
import type { HostPolicy } from '../net/host-policy';
import { type ArtifactTarget, publishBatchFile } from './batch-artifact';
import type { DestinationThrottle } from './destination-throttle';
import { type BatchFile, createRequestRenderer, type OutgoingRecord, type RenderedRequest } from './render-request';
import { backoffDelay, judgeAttempt, type Verdict } from './retry-policy';
import { sendRequest } from './send-request';
import { deliveryId, signDelivery } from './sign-delivery';
import { sendWithSplitting } from './split-batch';

export interface VersionedRecord extends OutgoingRecord {
  version: number;
}

export type RecordOutcome = { recordId: string; version: number } & ({ status: 'delivered' } | { status: 'rejected'; reason: string } | { status: 'retry'; reason: string });

export interface DeliveryContext {
  destination: DestinationCreate;
  streamId: string;
  providerId: string;
  loadId: string;
  privateKey: KeyObject;
  policy: HostPolicy;
  throttle: DestinationThrottle;
  /** Where webhook_batch csv/parquet files are published (the provider's datalake); required for those formats. */
  artifacts?: ArtifactTarget;
  /** Attempts per request within one load before the record waits for the next load. */
  maxAttempts?: number;
  /** The longest wait between attempts (Retry-After beyond it defers the record to the next load). */
  maxWaitMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Set at the first 410 Gone (why): nothing more is sent in this load, and the stream is to be disabled. */
  gone?: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends one request until it is delivered, rejected, or out of attempts (or the endpoint is gone: see `gone`). */
async function sendWithRetries(request: RenderedRequest, records: number, delivery: string, context: DeliveryContext): Promise<Exclude<Verdict, { action: 'gone' }>> {
  const maxAttempts = context.maxAttempts ?? 4;
  const maxWaitMs = context.maxWaitMs ?? 30_000;
  const sleep = context.sleep ?? defaultSleep;
  let verdict: Verdict = { action: 'retry', reason: 'not attempted' };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    // The records wait, as temporary failures, for the stream to be re-enabled.
    if (context.gone) return { action: 'retry', reason: `not sent: ${context.gone}` };
    const result = await context.throttle.run(records, () => {
      // Signed per attempt: the timestamp is fresh, the delivery id is the same.
      const headers = signDelivery(request.body, { privateKey: context.privateKey, providerId: context.providerId, deliveryId: delivery });
      return sendRequest(request, { policy: context.policy, timeoutMs: context.timeoutMs, headers: headers as unknown as Record<string, string> });
    });
    verdict = judgeAttempt(result.outcome);
    if (verdict.action === 'gone') {
      context.gone ??= verdict.reason;
      return { action: 'retry', reason: verdict.reason };
    }
    if (verdict.action !== 'retry') return verdict;
    if (attempt === maxAttempts) break;
    const wait = Math.max((verdict.notBeforeMs ?? 0) - Date.now(), backoffDelay(attempt, { baseMs: 200, maxMs: maxWaitMs }));
    if (wait > maxWaitMs) return { action: 'retry', reason: `${verdict.reason}; asked to wait ${Math.round(wait / 1000)} s, the next load will retry` };
    await sleep(wait);
  }
  return { action: 'retry', reason: `${verdict.action === 'retry' ? verdict.reason : 'failed'} after ${maxAttempts} attempts` };
}

export async function deliverRecords(records: VersionedRecord[], context: DeliveryContext): Promise<RecordOutcome[]> {
  const renderer = createRequestRenderer(context.destination, context.providerId);
  const outcome = (record: VersionedRecord, verdict: Verdict): RecordOutcome =>
    verdict.action === 'delivered'
      ? { recordId: record.recordId, version: record.version, status: 'delivered' }
      : { recordId: record.recordId, version: record.version, status: verdict.action === 'reject' ? 'rejected' : 'retry', reason: verdict.reason };

  if (context.destination.type === 'webhook_record') {
    const concurrency = Math.max(1, context.destination.webhook_record?.max_concurrency ?? context.destination.max_concurrency);
    const results: RecordOutcome[] = new Array(records.length);
    let next = 0;
    const worker = async () => {
      while (next < records.length) {
        const index = next++;
        const record = records[index]!;
        const rendered = renderer.forRecord(record);
        results[index] = rendered.ok
          ? outcome(record, await sendWithRetries(rendered.request, 1, deliveryId(context.streamId, record.recordId, record.version), context))
          : { recordId: record.recordId, version: record.version, status: 'rejected', reason: rendered.message };
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, records.length) }, worker));
    return results;
  }

  const batchSize = context.destination.webhook_batch?.max_records_per_batch ?? 1000;
  const format = context.destination.webhook_batch?.format;
  const fileFormat = format === 'csv' || format === 'parquet' ? format : null;
  const artifacts = context.artifacts;
  if (fileFormat && !artifacts) throw new Error(`A ${fileFormat} batch destination needs a datalake to publish its files to.`);
  const results: RecordOutcome[] = [];
  for (let start = 0; start < records.length; start += batchSize) {
    const batch = records.slice(start, start + batchSize);
    // Each half of a split batch is a batch of its own: its own id and, for csv/parquet, its own file.
    const split = await sendWithSplitting(batch, async (items) => {
      // A batch's id names its exact contents, so a retry of the same batch is recognisable.
      const id = deliveryId(context.streamId, items.map((item) => item.recordId).join(','), items.map((item) => item.version).join(','));
      let file: BatchFile | undefined;
      if (fileFormat && artifacts) {
        const batchFile = { format: fileFormat, deliveryId: id, providerId: context.providerId, loadId: context.loadId, recordSchema: context.destination.record_schema };
        const published = await publishBatchFile(items, batchFile, artifacts);
        if (!published.ok) return { action: published.action, reason: published.reason };
        file = published.file;
      }
      const rendered = renderer.forBatch(items, context.loadId, file);
      if (!rendered.ok) return { action: 'reject', reason: rendered.message };
      return sendWithRetries(rendered.request, items.length, id, context);
    });
    results.push(...split.delivered.map((record) => outcome(record, { action: 'delivered' })));
    results.push(...split.rejected.map(({ item, reason }) => outcome(item, { action: 'reject', reason })));
    for (const group of split.retry) results.push(...group.items.map((record) => outcome(record, { action: 'retry', reason: group.reason })));
  }
  return results;
}
