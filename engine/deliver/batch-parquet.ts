// Writes a webhook_batch parquet file with DuckDB: typed columns from record_schema, appended value
// by value (no type inference, so every file of a stream has the same column types), then COPY … TO
// parquet.
import { type DuckDBAppender, DuckDBInstance } from '@duckdb/node-api';
import { type BatchColumn, type BatchColumnType, columnValue } from './batch-columns';
import { type OutgoingRecord, toJson } from './render-request';

/**
 * A record value that its column cannot hold (a bug upstream: delivered records were validated).
 */
export class BatchValueError extends Error {
  constructor(
    readonly recordId: string,
    message: string,
  ) {
    super(message);
    this.name = 'BatchValueError';
  }
}

const SQL_TYPES: Record<BatchColumnType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  json: 'JSON',
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

function toInt64(value: unknown): bigint | null {
  let big: bigint | null = null;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
  else if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) big = BigInt(value);
  return big !== null && big >= INT64_MIN && big <= INT64_MAX ? big : null;
}

type Append = (appender: DuckDBAppender) => void;

const appendNull: Append = (appender) => appender.appendNull();

/**
 * How the value is appended to a column of `type`; undefined when that type cannot hold it exactly.
 */
function appendFor(type: BatchColumnType, value: unknown): Append | undefined {
  if (value === null || value === undefined) return appendNull;
  switch (type) {
    case 'string': {
      const text = typeof value === 'string' ? value : toJson(value);
      return (appender) => appender.appendVarchar(text);
    }
    case 'json': {
      const text = toJson(value);
      return (appender) => appender.appendVarchar(text);
    }
    case 'boolean':
      return typeof value === 'boolean' ? (appender) => appender.appendBoolean(value) : undefined;
    case 'integer': {
      const big = toInt64(value);
      return big === null ? undefined : (appender) => appender.appendBigInt(big);
    }
    case 'number': {
      const number =
        typeof value === 'number'
          ? value
          : typeof value === 'bigint' && BigInt(Number(value)) === value
            ? Number(value)
            : NaN;
      return Number.isFinite(number) ? (appender) => appender.appendDouble(number) : undefined;
    }
  }
}

/** A record's row; a live record with an ill-typed value throws. */
function rowOf(columns: readonly BatchColumn[], item: OutgoingRecord): Append[] {
  return columns.map((column) => {
    const value = columnValue(item, column);
    const append = appendFor(column.type, value);
    if (append) return append;
    if (!item.isDeleted) {
      throw new BatchValueError(
        item.recordId,
        `Record ${item.recordId}: field "${column.name}" holds ${toJson(value).slice(0, 60)}, ` +
          `which a ${SQL_TYPES[column.type]} column cannot hold.`,
      );
    }
    // Deletions skip schema validation and are identified by their id fields: a field not of its
    // type is left out.
    return appendNull;
  });
}

/**
 * Writes the records to `file`. Throws BatchValueError for a live record with an ill-typed value.
 */
export async function writeBatchParquet(
  columns: readonly BatchColumn[],
  items: readonly OutgoingRecord[],
  file: string,
): Promise<void> {
  const rows = items.map((item) => rowOf(columns, item));
  // Extensions would be downloaded, and nothing may be downloaded here (parquet and json are built
  // in).
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    threads: '1',
    memory_limit: '256MB',
  });
  const connection = await instance.connect();
  try {
    const definitions = columns.map((column) => `${ident(column.name)} ${SQL_TYPES[column.type]}`);
    await connection.run(`create table batch (${definitions.join(', ')})`);
    const appender = await connection.createAppender('batch');
    try {
      for (const row of rows) {
        for (const append of row) append(appender);
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
    await connection.run(`copy batch to ${literal(file)} (format parquet, compression zstd)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
