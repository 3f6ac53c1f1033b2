// Pure: the columns of a webhook_batch csv/parquet file, in a stable order with a type each, from
// record_schema.
import type { OutgoingRecord } from './render-request';

/**
 * What a column holds; `json` is JSON text (objects, arrays, fields of mixed or undeclared type).
 */
export type BatchColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'json';

export interface BatchColumn {
  name: string;
  type: BatchColumnType;
}

/**
 * Present in every file, last, `true` for deleted records (ours; the json envelope marks them the
 * same way).
 */
export const DELETION_COLUMN = '_prequel_is_deleted';

const SCALAR_TYPES: ReadonlySet<string> = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * The column type a property's schema asks for; anything that is not one scalar type is kept as
 * JSON.
 */
export function columnTypeOf(propertySchema: unknown): BatchColumnType {
  const declared =
    typeof propertySchema === 'object' && propertySchema !== null
      ? (propertySchema as { type?: unknown }).type
      : undefined;
  const types = (Array.isArray(declared) ? declared : [declared]).filter(
    (type): type is string => typeof type === 'string' && type !== 'null',
  );
  if (types.length === 1 && SCALAR_TYPES.has(types[0]!)) return types[0] as BatchColumnType;
  // Every integer is a number, and the ones a record carries as numbers fit a double exactly.
  if (types.length === 2 && types.includes('integer') && types.includes('number')) return 'number';
  return 'json';
}

/**
 * The properties of record_schema in their saved order (jsonb's: by length, then bytes; the order
 * the API returns), then keys the records have beyond them (first seen first, as JSON), then the
 * deletion marker. Only the extra keys depend on the batch, so the files of one stream line up.
 */
export function batchColumns(
  recordSchema: Record<string, unknown>,
  items: readonly OutgoingRecord[],
): BatchColumn[] {
  const properties =
    typeof recordSchema.properties === 'object' && recordSchema.properties !== null
      ? (recordSchema.properties as Record<string, unknown>)
      : {};
  const columns: BatchColumn[] = [];
  const seen = new Set<string>([DELETION_COLUMN]);
  for (const [name, schema] of Object.entries(properties)) {
    if (seen.has(name)) continue;
    seen.add(name);
    columns.push({ name, type: columnTypeOf(schema) });
  }
  for (const item of items) {
    for (const name of Object.keys(item.record)) {
      if (seen.has(name)) continue;
      seen.add(name);
      columns.push({ name, type: 'json' });
    }
  }
  columns.push({ name: DELETION_COLUMN, type: 'boolean' });
  return columns;
}

/**
 * The value a record has for a column (the deletion marker comes from the record's state, not its
 * fields).
 */
export function columnValue(item: OutgoingRecord, column: BatchColumn): unknown {
  return column.name === DELETION_COLUMN ? item.isDeleted : item.record[column.name];
}
