// Publishes one webhook_batch csv/parquet file under the datalake's artifacts/ and signs a download
// link for it.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DatalakeError } from '../datalake/datalake-error';
import type { DatalakeStore } from '../datalake/datalake-store';
import { artifactKey } from '../datalake/lake-keys';
import { batchColumns } from './batch-columns';
import { renderBatchCsv } from './batch-csv';
import { BatchValueError, writeBatchParquet } from './batch-parquet';
import type { BatchFile, OutgoingRecord } from './render-request';

export interface ArtifactTarget {
  /** The provider's datalake. */
  store: DatalakeStore;
  /** Scratch space for files DuckDB writes before they are published. */
  workDir: string;
  /** How long download links live (default 24 h; S3 allows at most 7 days). */
  urlTtlSeconds?: number;
}

const DEFAULT_URL_TTL_SECONDS = 24 * 60 * 60;

export type PublishOutcome =
  { ok: true; file: BatchFile } | { ok: false; action: 'retry' | 'reject'; reason: string };

/**
 * Writes `artifacts/<provider>/<load_id>/batch-<delivery id>.<ext>`. Named after the batch's
 * delivery id, so the same batch always has the same file (a retry rewrites it instead of leaving
 * another behind) and a receiver can match the file to the request's X-Prequel-Delivery-Id.
 */
export async function publishBatchFile(
  items: readonly OutgoingRecord[],
  batch: {
    format: BatchFile['format'];
    deliveryId: string;
    providerId: string;
    loadId: string;
    recordSchema: Record<string, unknown>;
  },
  target: ArtifactTarget,
): Promise<PublishOutcome> {
  const key = artifactKey(
    batch.providerId,
    batch.loadId,
    `batch-${batch.deliveryId}.${batch.format}`,
  );
  const columns = batchColumns(batch.recordSchema, items);
  try {
    if (batch.format === 'csv') {
      await target.store.putBytes(key, renderBatchCsv(columns, items));
    } else {
      await mkdir(target.workDir, { recursive: true });
      const file = path.join(
        target.workDir,
        `batch-${batch.deliveryId}-${randomBytes(4).toString('hex')}.parquet`,
      );
      try {
        await writeBatchParquet(columns, items, file);
        await target.store.putFile(key, file);
      } finally {
        await rm(file, { force: true });
      }
    }
    const presignedUrl = await target.store.presignedUrl(
      key,
      target.urlTtlSeconds ?? DEFAULT_URL_TTL_SECONDS,
    );
    return { ok: true, file: { format: batch.format, path: key, presignedUrl } };
  } catch (error) {
    // A value that cannot be written is that record's problem: rejecting lets the batch be split to
    // isolate it.
    if (error instanceof BatchValueError)
      return { ok: false, action: 'reject', reason: error.message };
    const hint = error instanceof DatalakeError && error.hint ? ` ${error.hint}` : '';
    return {
      ok: false,
      action: 'retry',
      reason:
        `The batch file could not be published to the datalake: ` +
        `${(error as Error).message}${hint}`,
    };
  }
}
