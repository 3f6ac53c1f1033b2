// The large-table scenario: an append-only events table of a chosen size, generated inside Postgres
// in one statement (a million rows in seconds), so the table browser, the progress bar and chunked
// extracts have something to chew on.
import type pg from 'pg';
import { quotePostgres as q } from '../sample-db/sql-identifiers';

/** Created in one transaction: the table appears whole, indexed and analysed, or not at all. */
export async function createLargeTable(pool: pg.Pool, table: string, rows: number): Promise<void> {
  const name = `public.${q(table)}`;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `create table ${name} (id bigint not null, customer_id bigint not null, occurred_at ` +
        `timestamptz not null, type text not null, payload jsonb)`,
    );
    // Three seconds apart, ending at the sample's base time; keys and indexes after the load, which
    // is faster.
    await client.query(
      `insert into ${name}
       select g, 1 + (g * 7919) % 2000, timestamptz '2026-01-01 00:00:00+00' - ($1::bigint - g)
         * interval '3 seconds',
              (array['page_view','click','search','login','add_to_cart','checkout'])[1 + g % 6],
              jsonb_build_object('path', '/products/' || (g % 997), 'ms', (g * 31) % 3000)
       from generate_series(1, $1::bigint) as g`,
      [rows],
    );
    await client.query(`alter table ${name} add constraint ${q(`${table}_pkey`)} primary key (id)`);
    await client.query(
      `create index ${q(`${table}_occurred_at_id_idx`)} on ${name} (occurred_at, id)`,
    );
    await client.query(`analyze ${name}`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export async function dropLargeTable(pool: pg.Pool, table: string): Promise<void> {
  await pool.query(`drop table if exists public.${q(table)}`);
}

/**
 * The planner's row estimate (counting a million rows on every status poll would be wasteful); null
 * when absent.
 */
export async function largeTableRows(pool: pg.Pool, table: string): Promise<number | null> {
  const result = await pool.query<{ rows: string | null }>(
    `select c.reltuples::bigint::text as rows from pg_class c where c.oid = to_regclass($1)`,
    [`public.${q(table)}`],
  );
  const rows = result.rows[0]?.rows;
  return rows === undefined || rows === null ? null : Math.max(0, Number(rows));
}
