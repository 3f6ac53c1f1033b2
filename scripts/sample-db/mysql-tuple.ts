// One row as a MySQL VALUES tuple, for the bulk load and for simulated inserts alike.
import type { Connection } from 'mysql2/promise';
import type { Cells, ColumnKind } from './sample-tables';

/**
 * `(…)` of SQL literals; every cell comes from our generators, and strings still go through the
 * driver's escaping.
 */
export function mysqlTuple(
  connection: Pick<Connection, 'escape'>,
  cells: Cells,
  kinds: readonly ColumnKind[],
): string {
  const literals = cells.map((value, i) => {
    if (value === null) return 'NULL';
    switch (kinds[i]) {
      case 'integer':
      case 'decimal':
        return value;
      case 'boolean':
        return value === 't' ? '1' : '0';
      default:
        return connection.escape(value);
    }
  });
  return `(${literals.join(',')})`;
}
