// MySQL/MariaDB DDL for the sample tables: InnoDB, utf8mb4, DATETIME(6) holding UTC.
import { sampleTables, type SampleTable } from './sample-tables';
import { quoteMysql as q } from './sql-identifiers';

/**
 * The primary key (InnoDB clusters rows by it) and the foreign key go in up front; other indexes
 * after the load.
 */
export function createTableSql(table: SampleTable): string {
  const lines = table.columns.map(
    (column) =>
      `${q(column.name)} ` +
      `${column.mysql}${column.notNull ? ' NOT NULL' : ''}` +
      (column.default ? ` DEFAULT ${column.default}` : ''),
  );
  lines.push('PRIMARY KEY (`id`)');
  if (table.references) {
    const { column, table: referenced } = table.references;
    lines.push(
      `CONSTRAINT ${q(`${table.name}_${column}_fkey`)} FOREIGN KEY (${q(column)}) REFERENCES ` +
        `${q(referenced)} (\`id\`)`,
    );
  }
  return (
    `CREATE TABLE ${q(table.name)} (${lines.join(', ')}) ENGINE=InnoDB DEFAULT ` + `CHARSET=utf8mb4`
  );
}

export function dropTablesSql(): string {
  return `DROP TABLE IF EXISTS ${[...sampleTables]
    .reverse()
    .map((table) => q(table.name))
    .join(', ')}`;
}

export function indexesSql(table: SampleTable): string {
  const clauses = (table.unique ?? []).map(
    (column) => `ADD UNIQUE KEY ${q(`${table.name}_${column}_key`)} (${q(column)})`,
  );
  const [order, pk] = table.cursorIndex;
  clauses.push(`ADD KEY ${q(`${table.name}_${order}_${pk}_idx`)} (${q(order)}, ${q(pk)})`);
  return `ALTER TABLE ${q(table.name)} ${clauses.join(', ')}`;
}
