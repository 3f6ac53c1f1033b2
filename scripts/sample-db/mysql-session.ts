// SampleSession for MySQL/MariaDB: ? parameters, UTC_TIMESTAMP(6), locking reads on the newest ids.
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { mysqlTuple } from './mysql-tuple';
import type { TextRow, TransactionalSession } from './sample-session';
import { sampleTables, type Cells, type SampleTable } from './sample-tables';
import { raw, render, type Sql } from './sql-fragment';
import { quoteMysql as q } from './sql-identifiers';

const ROWS_PER_INSERT = 500;

export function mysqlSession(connection: Connection): TransactionalSession {
  const query = async (statement: Sql): Promise<TextRow[]> => {
    const { text, values } = render(statement, () => '?');
    // Every column as its text form: mysql2 would turn BIGINT and DECIMAL into lossy JS numbers.
    const [rows] = await connection.query<RowDataPacket[]>({
      sql: text,
      values,
      typeCast: (field) => field.string(),
    });
    return Array.isArray(rows) ? (rows as TextRow[]) : [];
  };
  return {
    begin: async () => void (await connection.query('START TRANSACTION')),
    commit: async () => void (await connection.query('COMMIT')),
    rollback: async () => void (await connection.query('ROLLBACK')),
    query,
    table: (name) => raw(q(name)),
    // UTC: DATETIME has no zone, and the sample stores UTC. The value is fixed for the whole
    // statement.
    now: raw('UTC_TIMESTAMP(6)'),
    async insert(table: SampleTable, rows: readonly Cells[]) {
      const kinds = table.columns.map((column) => column.kind);
      const head =
        `INSERT INTO ${q(table.name)} ` +
        `(${table.columns.map((column) => q(column.name)).join(', ')}) VALUES `;
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        const tuples = rows
          .slice(start, start + ROWS_PER_INSERT)
          .map((cells) => mysqlTuple(connection, cells, kinds));
        await connection.query(head + tuples.join(','));
      }
    },
    async lockForChanges() {
      // Locking the newest row also locks the gap after it (InnoDB next-key locks): a second writer
      // waits here.
      for (const table of sampleTables)
        await query(raw(`SELECT id FROM ${q(table.name)} ORDER BY id DESC LIMIT 1 FOR UPDATE`));
    },
  };
}
