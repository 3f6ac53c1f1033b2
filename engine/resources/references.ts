// Lookups of referenced objects shared by several resources' semantic checks.
import { unprocessable } from '../http/api-error';
import type { Queryable } from '../store/db';

/** Returns the row or a 422 naming the path of the id that does not exist. */
export async function requireReference<Row extends Record<string, unknown>>(
  db: Queryable,
  table: string,
  id: string,
  path: string,
  what: string,
): Promise<Row> {
  const row = (await db.query<Row>(`select * from ${table} where id::text = $1`, [id])).rows[0];
  if (!row)
    throw unprocessable('unknown_reference', `No ${what} with id "${id}" exists.`, [
      { path, message: `no ${what} with this id` },
    ]);
  return row;
}
