// Pure: a webhook_batch csv file, RFC 4180 (CRLF line ends, fields quoted when they need it, "" for
// a quote). Unlike engine/extract/csv-writer.ts, which mirrors Postgres COPY for DuckDB, this file
// is read by customers' tools.
import { type BatchColumn, columnValue } from './batch-columns';
import { type OutgoingRecord, toJson } from './render-request';

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One field: NULL is empty, the empty string is `""` so the two stay apart; objects and arrays are
 * JSON text.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : toJson(value);
  return text === '' || NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row with the column names, then one row per record. */
export function renderBatchCsv(
  columns: readonly BatchColumn[],
  items: readonly OutgoingRecord[],
): string {
  const lines = [columns.map((column) => csvField(column.name)).join(',')];
  for (const item of items)
    lines.push(columns.map((column) => csvField(columnValue(item, column))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
