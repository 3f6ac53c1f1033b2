// Where the sample lives: a Postgres client/pool or a MySQL/MariaDB connection the caller owns and
// closes.
import type { Connection } from 'mysql2/promise';
import pg from 'pg';

export type SampleTarget =
  | { dialect: 'postgres'; client: pg.Client | pg.Pool }
  | { dialect: 'mysql'; connection: Connection };

export const DEFAULT_SCHEMA = 'public';

/**
 * Runs `work` with up to `wanted` connections: a client is one connection; a pool lends up to
 * `wanted`, leaving one of its slots free when it has more than one, so the caller's other queries
 * are not starved.
 */
export async function withPostgresClients<T>(
  client: pg.Client | pg.Pool,
  wanted: number,
  work: (clients: pg.ClientBase[]) => Promise<T>,
): Promise<T> {
  if (!(client instanceof pg.Pool)) return work([client]);
  const count = Math.max(1, Math.min(wanted, (client.options.max ?? 10) - 1));
  const lent: pg.PoolClient[] = [];
  try {
    for (let i = 0; i < count; i++) lent.push(await client.connect());
    return await work(lent);
  } finally {
    for (const one of lent) one.release();
  }
}
