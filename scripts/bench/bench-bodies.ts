// The request bodies the benchmarks create their pipelines with, so each measures the same shapes.
import { customerRecordSchema } from './customer-mapping';

/** A Postgres source reading the database at `url` (its user signs in with a password, no TLS). */
export function postgresSourceBody(name: string, providerId: string, url: string) {
  const admin = new URL(url);
  return {
    source: {
      name,
      vendor: 'postgres',
      provider_id: providerId,
      postgres: {
        host: admin.hostname,
        port: Number(admin.port),
        database: admin.pathname.slice(1),
        disable_ssl: true,
        password_auth: { username: admin.username, password: admin.password },
      },
    },
  };
}

/**
 * A dimension over a sample table (`id`, `updated_at`, `is_deleted`). Benchmarks extract when they
 * say so; the scheduler must not start one in the middle of a measurement.
 */
export function sampleTableDatasetBody(sourceId: string, table: string) {
  return {
    dataset: {
      source_id: sourceId,
      method: 'table',
      table: { source_table_namespace: 'public', source_table_name: table },
      type: 'dimension',
      dimension: {
        primary_key_column: 'id',
        last_modified_column: 'updated_at',
        is_deleted_column: 'is_deleted',
      },
      frequency_minutes: 525_600,
    },
  };
}

/** Records per webhook_batch request. */
export const BATCH_RECORDS = 1000;
/**
 * The contract's maximum: a full minute's budget may be spent at once, so a load of up to this many
 * never waits.
 */
export const RECORDS_PER_MINUTE = 1_000_000;

/** A webhook_batch json destination of customers, sending to `${receiverUrl}/batches`. */
export function customerBatchDestination(name: string, receiverUrl: string) {
  return {
    name,
    type: 'webhook_batch',
    record_schema: customerRecordSchema,
    max_records_per_minute: RECORDS_PER_MINUTE,
    webhook_batch: {
      format: 'json',
      max_records_per_batch: BATCH_RECORDS,
      request_template: { method: 'POST', uri: `${receiverUrl}/batches` },
    },
  };
}
