// Postgres COPY text format: tab-separated columns, `\N` for NULL, backslash escapes inside values.
import type { Cells, ColumnKind, SampleTable } from './sample-tables';

const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function copyLine(cells: Cells, kinds: readonly ColumnKind[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i];
    if (i > 0) line += '\t';
    if (value === null || value === undefined) line += '\\N';
    else if (kinds[i] === 'timestamp') line += `${value}+00`;
    else if ((kinds[i] === 'text' || kinds[i] === 'json') && SPECIAL.test(value))
      line += value.replace(SPECIAL_ALL, (char) => ESCAPED[char]!);
    else line += value;
  }
  return `${line}\n`;
}

/**
 * ~64 KiB strings: big enough that stream overhead vanishes, small enough that memory stays flat.
 */
export function* copyChunks(
  table: SampleTable,
  rows: Iterable<Cells>,
  chunkChars = 64 * 1024,
): Generator<string> {
  const kinds = table.columns.map((column) => column.kind);
  let chunk = '';
  for (const cells of rows) {
    chunk += copyLine(cells, kinds);
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
