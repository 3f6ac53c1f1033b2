// SampleSession for Postgres: $n parameters, clock_timestamp(), an advisory lock per schema.
import type pg from 'pg';
import type { TextRow, TransactionalSession } from './sample-session';
import type { Cells, SampleTable } from './sample-tables';
import { join, raw, render, sql, type Sql } from './sql-fragment';
import { quotePostgres as q } from './sql-identifiers';

/** Whatever parsers the caller's client has configured, this session reads every value as text. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

/** Rows per INSERT: far below Postgres's 65,535 parameters per statement. */
const ROWS_PER_INSERT = 500;

export function postgresSession(client: pg.ClientBase, schema: string): TransactionalSession {
  const query = async (statement: Sql): Promise<TextRow[]> => {
    const { text, values } = render(statement, (position) => `$${position}`);
    const result = await client.query<TextRow>({ text, values, types: TEXT_TYPES });
    return result.rows;
  };
  const table = (name: string) => raw(`${q(schema)}.${q(name)}`);
  return {
    begin: async () => void (await client.query('begin')),
    commit: async () => void (await client.query('commit')),
    rollback: async () => void (await client.query('rollback')),
    query,
    table,
    now: raw('clock_timestamp()'),
    async insert(target: SampleTable, rows: readonly Cells[]) {
      const columns = raw(target.columns.map((column) => q(column.name)).join(', '));
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        // Text parameters take the target columns' types, so bigints and numerics arrive exactly.
        const tuples = rows.slice(start, start + ROWS_PER_INSERT).map(
          (cells) =>
            sql`(${join(
              cells.map((cell) => sql`${cell}`),
              ', ',
            )})`,
        );
        await query(
          sql`insert into ${table(target.name)} (${columns}) values ${join(tuples, ', ')}`,
        );
      }
    },
    async lockForChanges() {
      await query(
        sql`select pg_advisory_xact_lock(hashtext(${`inlet-sample-db:${schema}`}))::text`,
      );
    },
  };
}
