// The lookup behind every route that names a job or an object by its uuid: the row, or a 404 naming
// what was asked for.
import type { QueryResultRow } from 'pg';
import type { Queryable } from '../store/db';
import { isUuid } from '../store/uuid';
import { notFound } from './api-error';

/**
 * The row `sql` selects by `id` (its $1), or a 404 for the `what`; an id that is not a uuid names
 * nothing and is not queried.
 */
export async function requireById<Row extends QueryResultRow>(
  db: Queryable,
  what: string,
  sql: string,
  id: string,
): Promise<Row> {
  const row = isUuid(id) ? (await db.query<Row>(sql, [id])).rows[0] : undefined;
  if (!row) throw notFound(what, id);
  return row;
}
