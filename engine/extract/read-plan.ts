// Pure: how an extract reads a dataset (keyset order, where it resumes) and the SQL of each chunk.
import type { DatasetCreate } from '../../lib/prequel/contract/dataset';

/** Values in the source database's own text form (never through a JS Date: µs precision). */
export interface Cursor {
  /** The ordering column's value (last_modified / created_at); absent in primary-key order. */
  order?: string | null;
  /** The primary key of the last row read; null = resume at `order` inclusive (after a lag cap). */
  pk: string | null;
}

export type ReadMode =
  | { kind: 'incremental'; orderColumn: string; pkColumn: string; isFact: boolean }
  | { kind: 'full'; pkColumn: string }
  | { kind: 'query'; query: string; pkColumn: string };

export function readModeOf(dataset: DatasetCreate): ReadMode {
  const pkColumn =
    dataset.type === 'fact'
      ? dataset.fact!.primary_key_column
      : dataset.dimension!.primary_key_column;
  if (dataset.method === 'sql') return { kind: 'query', query: dataset.sql!.query, pkColumn };
  if (dataset.type === 'fact')
    return {
      kind: 'incremental',
      orderColumn: dataset.fact!.created_at_column,
      pkColumn,
      isFact: true,
    };
  const lastModified = dataset.dimension!.last_modified_column;
  return lastModified
    ? { kind: 'incremental', orderColumn: lastModified, pkColumn, isFact: false }
    : { kind: 'full', pkColumn };
}

export interface Dialect {
  /** Postgres turns `(a, b) > (x, y)` into one index range scan; MySQL needs the expanded form. */
  rowComparison: boolean;
  quoteIdent(name: string): string;
  /**
   * A literal for a value in the database's text form; compared against a column it takes that
   * column's type.
   */
  literal(value: string): string;
}

export const postgresDialect: Dialect = {
  rowComparison: true,
  quoteIdent: (name) => `"${name.replaceAll('"', '""')}"`,
  // standard_conforming_strings is on in every supported Postgres; E'' is not used, so only quotes
  // need doubling.
  literal: (value) => `'${value.replaceAll("'", "''")}'`,
};

export const mysqlDialect: Dialect = {
  rowComparison: false,
  quoteIdent: (name) => `\`${name.replaceAll('`', '``')}\``,
  literal: (value) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`,
};

/**
 * `(order, pk) > cursor` (or `order >= cursor.order` after a lag cap); null when starting from the
 * beginning.
 */
export function afterCursor(
  mode: ReadMode,
  cursor: Cursor | null,
  dialect: Dialect,
): string | null {
  if (!cursor || mode.kind === 'query') return null;
  const pk = dialect.quoteIdent(mode.pkColumn);
  if (mode.kind === 'full')
    return cursor.pk === null ? null : `${pk} > ${dialect.literal(cursor.pk)}`;
  const order = dialect.quoteIdent(mode.orderColumn);
  if (cursor.order === undefined || cursor.order === null) return null;
  if (cursor.pk === null) return `${order} >= ${dialect.literal(cursor.order)}`;
  if (dialect.rowComparison)
    return `(${order}, ${pk}) > (${dialect.literal(cursor.order)}, ${dialect.literal(cursor.pk)})`;
  return (
    `(${order} > ${dialect.literal(cursor.order)} or (${order} = ` +
    `${dialect.literal(cursor.order)} and ${pk} > ${dialect.literal(cursor.pk)}))`
  );
}

export function orderBy(mode: Exclude<ReadMode, { kind: 'query' }>, dialect: Dialect): string {
  const pk = dialect.quoteIdent(mode.pkColumn);
  return mode.kind === 'full' ? pk : `${dialect.quoteIdent(mode.orderColumn)}, ${pk}`;
}

/** Upper bound of a chunk: `(order, pk) <= boundary`. */
export function upToBoundary(
  mode: Exclude<ReadMode, { kind: 'query' }>,
  boundary: Cursor,
  dialect: Dialect,
): string {
  const pk = dialect.quoteIdent(mode.pkColumn);
  if (mode.kind === 'full') return `${pk} <= ${dialect.literal(boundary.pk!)}`;
  const order = dialect.quoteIdent(mode.orderColumn);
  if (dialect.rowComparison)
    return (
      `(${order}, ${pk}) <= (${dialect.literal(boundary.order!)}, ` +
      `${dialect.literal(boundary.pk!)})`
    );
  return (
    `(${order} < ${dialect.literal(boundary.order!)} or (${order} = ` +
    `${dialect.literal(boundary.order!)} and ${pk} <= ${dialect.literal(boundary.pk!)}))`
  );
}

/**
 * The cursor to persist after reading up to `position`: never past the source clock minus the lag,
 * so a row committed late with an earlier timestamp is still read by a later run.
 */
export function persistableCursor(
  mode: ReadMode,
  position: Cursor,
  cap: string | null,
  compare: (a: string, b: string) => number,
): Cursor {
  if (
    mode.kind !== 'incremental' ||
    cap === null ||
    position.order === undefined ||
    position.order === null
  )
    return position;
  return compare(position.order, cap) > 0 ? { order: cap, pk: null } : position;
}

export function where(...conditions: (string | null)[]): string {
  const present = conditions.filter((condition): condition is string => condition !== null);
  return present.length ? `where ${present.join(' and ')}` : '';
}
