// Fills the sample tables in MySQL/MariaDB with multi-row INSERTs, about 1000 rows per statement.
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { createTableSql, dropTablesSql, indexesSql } from './mysql-schema';
import type { SamplePlan } from './sample-plan';
import { rowsOf } from './sample-rows';
import { mysqlTuple } from './mysql-tuple';
import { sampleTables, type SampleTable } from './sample-tables';
import { SampleDbError } from './sample-db-error';
import { quoteMysql as q } from './sql-identifiers';

const ROWS_PER_INSERT = 1000;
/**
 * Commit every ~50k rows: one huge transaction bloats the undo log, per-statement commits flush too
 * often.
 */
const INSERTS_PER_TRANSACTION = 50;

export async function loadMysql(
  connection: Connection,
  plan: SamplePlan,
  dropExisting: boolean,
): Promise<void> {
  await requireDatabase(connection);
  if (dropExisting) await connection.query(dropTablesSql());
  else await refuseExistingTables(connection);
  try {
    for (const table of sampleTables) await connection.query(createTableSql(table));
    for (const table of sampleTables) {
      await insertRows(connection, table, plan);
      await connection.query(indexesSql(table));
    }
  } catch (error) {
    // A half-built sample is worse than none; tables that were there before were refused or dropped
    // on request.
    await connection.query('ROLLBACK').catch(() => {});
    await connection.query(dropTablesSql()).catch(() => {});
    throw error;
  }
}

async function insertRows(
  connection: Connection,
  table: SampleTable,
  plan: SamplePlan,
): Promise<void> {
  const kinds = table.columns.map((column) => column.kind);
  const head =
    `INSERT INTO ${q(table.name)} ` +
    `(${table.columns.map((column) => q(column.name)).join(', ')}) VALUES `;
  let tuples: string[] = [];
  let statements = 0;
  const flush = async () => {
    await connection.query(head + tuples.join(','));
    tuples = [];
    if (++statements % INSERTS_PER_TRANSACTION === 0) {
      await connection.query('COMMIT');
      await connection.query('START TRANSACTION');
    }
  };
  await connection.query('START TRANSACTION');
  // Awaiting each statement before generating the next one is the backpressure: at most one batch
  // in memory.
  for (const cells of rowsOf[table.name](plan)) {
    tuples.push(mysqlTuple(connection, cells, kinds));
    if (tuples.length === ROWS_PER_INSERT) await flush();
  }
  if (tuples.length > 0) await flush();
  await connection.query('COMMIT');
}

async function requireDatabase(connection: Connection): Promise<void> {
  const [rows] = await connection.query<RowDataPacket[]>('SELECT DATABASE() AS name');
  if (!rows[0]?.name)
    throw new SampleDbError(
      'The MySQL connection has no database selected: put one in the URL ' +
        '(mysql://user:pass@host:3306/database).',
    );
}

async function refuseExistingTables(connection: Connection): Promise<void> {
  const [rows] = await connection.query<RowDataPacket[]>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ' +
      'AND table_name IN (?) ORDER BY 1',
    [sampleTables.map((table) => table.name)],
  );
  if (rows.length > 0)
    throw new SampleDbError(
      `${rows.map((row) => String(row.name)).join(', ')} already exist in this database: pass ` +
        `dropExisting (--drop) to replace them.`,
    );
}
