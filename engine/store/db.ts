// The engine's Postgres pool: timestamps stay in Postgres's own text form (microseconds), never a
// JS Date.
import pg from 'pg';

const TIMESTAMPTZ_OID = 1184;
const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ_OID || oid === TIMESTAMP_OID || oid === INT8_OID)
      return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
};

export type Db = pg.Pool;
export type DbClient = pg.PoolClient;
export type Queryable = Pick<pg.Pool, 'query'>;

export function createPool(
  connectionString: string,
  options: { max?: number; applicationName?: string } = {},
): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'inlet-engine',
    options: '-c TimeZone=UTC',
    types,
  });
  // A client losing its connection (server restart, idle or checked out) must not crash the
  // process; the query in progress reports the failure.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

export async function withTransaction<T>(
  db: Db,
  work: (client: DbClient) => Promise<T>,
): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** `2026-11-26 08:06:16.1234+00` → `2026-11-26T08:06:16.123400Z` (RFC 3339, microseconds, UTC). */
export function toRfc3339(pgTimestamp: string): string {
  const match = /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:\+00(?::00)?)?$/.exec(
    pgTimestamp,
  );
  if (!match) return pgTimestamp;
  const [, date, time, fraction = ''] = match;
  return `${date}T${time}.${fraction.padEnd(6, '0')}Z`;
}
