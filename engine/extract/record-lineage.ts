// A record's lineage: its cached version (extract) and the latest outcome of its streams
// (transform, validation, load).
import { readCachedRecord } from '../cache/cached-records';
import type { EngineContext } from '../engine-context';
import { readTransformed, type TransformedRef } from '../loads/load-ledger';
import { toRfc3339 } from '../store/db';

interface LedgerRow extends TransformedRef {
  stream_id: string;
  version: string;
  status: 'delivered' | 'transform_error' | 'schema_error' | 'rejected' | 'retry';
  error: { error_code: string; error_trace: string } | null;
  updated_at: string;
  redelivery: boolean;
}

/**
 * The transform, validate_schema and load stages of a record, from the most recent stream outcome.
 */
function deliveryStages(ledger: LedgerRow | undefined, transformed: unknown, isDeleted: boolean) {
  if (!ledger) return { transform: null, validate_schema: null, load: null };
  const at = toRfc3339(ledger.updated_at);
  const error = ledger.error
    ? { error_code: ledger.error.error_code, error_trace: ledger.error.error_trace }
    : null;
  const transformFailed = ledger.status === 'transform_error';
  return {
    stream_id: ledger.stream_id,
    transform: {
      last_transformed_at: at,
      data: transformed,
      error: transformFailed ? error : null,
      is_deleted: isDeleted,
    },
    validate_schema: transformFailed
      ? null
      : {
          last_validated_at: at,
          error: ledger.status === 'schema_error' ? error : null,
          is_deleted: isDeleted,
        },
    load:
      ledger.status === 'delivered' || ledger.status === 'rejected' || ledger.status === 'retry'
        ? {
            last_loaded_at: at,
            data: transformed,
            error: ledger.status === 'delivered' ? null : error,
            is_deleted: isDeleted,
            redelivery: ledger.redelivery,
          }
        : null,
  };
}

export async function readRecordLineage(
  engine: EngineContext,
  datasetId: string,
  recordId: string,
  asOf?: string,
) {
  const ledger = (
    await engine.db.query<LedgerRow>(
      `select r.stream_id, r.version::text, r.status, r.transformed, r.transformed_page,
        r.transformed_index, r.error, r.updated_at, r.redelivery
       from stream_records r join streams s on s.id = r.stream_id
       where s.dataset_id = $1 and r.record_id = $2 and ($3::timestamptz is null or r.updated_at
         <= $3::timestamptz)
       order by r.updated_at desc limit 1`,
      [datasetId, recordId, asOf ?? null],
    )
  ).rows[0];
  const cached = await readCachedRecord(engine, datasetId, recordId, asOf);
  if (!cached) return null;
  const { record, extractedAt } = cached;
  const isDeleted = record.isDeleted;
  const transformed = ledger ? await readTransformed(engine.db, ledger) : null;
  return {
    record_id: recordId,
    extract: {
      last_extracted_at: extractedAt,
      data: record.data,
      error: null,
      is_deleted: isDeleted,
    },
    ...deliveryStages(ledger, transformed, isDeleted),
  };
}
