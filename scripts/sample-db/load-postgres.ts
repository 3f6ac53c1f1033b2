// Fills the sample tables in Postgres through COPY FROM STDIN, streaming rows as they are
// generated.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyChunks } from './copy-text';
import { constraintsAndIndexesSql, createTableSql, dropTablesSql } from './postgres-schema';
import { SampleDbError } from './sample-db-error';
import type { SamplePlan } from './sample-plan';
import { rowsOf } from './sample-rows';
import {
  accountsTable,
  customersTable,
  eventsTable,
  ordersTable,
  sampleTables,
  type SampleTable,
} from './sample-tables';
import { quotePostgres as q } from './sql-identifiers';

/**
 * Two independent chains of work. Postgres parses one COPY stream on one core, so with two
 * connections the biggest table (events) loads beside the rest; with one connection the chains
 * simply run one after the other. Within a chain, customers come before accounts: the foreign key
 * needs the customers' primary key.
 */
const CHAINS: readonly (readonly SampleTable[])[] = [
  [customersTable, accountsTable, ordersTable],
  [eventsTable],
];

/**
 * `lanes` are one or more connections to the same database; the first one also prepares and cleans
 * up.
 */
export async function loadPostgres(
  lanes: readonly pg.ClientBase[],
  schema: string,
  plan: SamplePlan,
  dropExisting: boolean,
): Promise<void> {
  const main = lanes[0]!;
  await main.query(`create schema if not exists ${q(schema)}`);
  if (dropExisting) await main.query(dropTablesSql(schema));
  else await refuseExistingTables(main, schema);

  // A failing chain stops the other one at its next chunk instead of letting it load for another
  // minute.
  const abort = new AbortController();
  let firstError: unknown;
  const runChain = async (client: pg.ClientBase, tables: readonly SampleTable[]) => {
    try {
      for (const table of tables) await loadTable(client, schema, table, plan, abort.signal);
    } catch (error) {
      // The chain we aborted fails too, with an AbortError; the first failure is the one worth
      // reporting.
      if (!abort.signal.aborted) firstError = error;
      abort.abort();
      throw error;
    }
  };
  const work =
    lanes.length > 1
      ? CHAINS.map((tables, i) => runChain(lanes[i % lanes.length]!, tables))
      : [runChain(main, CHAINS.flat())];
  const results = await Promise.allSettled(work);
  if (results.some((result) => result.status === 'rejected')) {
    // Tables commit one by one; a half-built sample is worse than none. (Tables that were there
    // before were either refused above or dropped on request, so only our own go.)
    await main.query(dropTablesSql(schema)).catch(() => {});
    throw firstError;
  }
}

async function loadTable(
  client: pg.ClientBase,
  schema: string,
  table: SampleTable,
  plan: SamplePlan,
  signal: AbortSignal,
): Promise<void> {
  signal.throwIfAborted();
  const name = `${q(schema)}.${q(table.name)}`;
  // COPY FREEZE (rows written frozen, so no vacuum pass rewrites every page later) needs the table
  // created in the same transaction. Constraints and indexes come after the rows: one sorted build
  // beats row-by-row upkeep.
  await client.query('begin');
  try {
    await client.query(`set local maintenance_work_mem = '256MB'`);
    await client.query(createTableSql(schema, table));
    const columns = table.columns.map((column) => q(column.name)).join(', ');
    const copy = client.query(copyFrom(`copy ${name} (${columns}) from stdin with (freeze)`));
    // pipeline() pulls the next chunk only when the socket has drained: memory stays flat at any
    // size.
    await pipeline(Readable.from(copyChunks(table, rowsOf[table.name](plan))), copy, { signal });
    for (const statement of constraintsAndIndexesSql(schema, table)) await client.query(statement);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
  // Fresh statistics, as a long-lived production table would have: extract queries get realistic
  // plans.
  await client.query(`analyze ${name}`);
}

async function refuseExistingTables(client: pg.ClientBase, schema: string): Promise<void> {
  const names = sampleTables.map((table) => table.name);
  const { rows } = await client.query<{ name: string }>(
    'select table_name::text as name from information_schema.tables where table_schema = $1 and ' +
      'table_name = any($2) order by 1',
    [schema, names],
  );
  if (rows.length > 0)
    throw new SampleDbError(
      `${rows.map((row) => row.name).join(', ')} already exist in schema "${schema}": pass ` +
        `dropExisting (--drop) to replace them.`,
    );
}
