// Postgres DDL for the sample tables. Constraints and indexes come after the load: building them
// once over sorted data is several times faster than maintaining them row by row during COPY.
import { sampleTables, type SampleTable } from './sample-tables';
import { quotePostgres as q } from './sql-identifiers';

export function createTableSql(schema: string, table: SampleTable): string {
  const columns = table.columns.map(
    (column) =>
      `${q(column.name)} ` +
      `${column.postgres}${column.notNull ? ' not null' : ''}` +
      (column.default ? ` default ${column.default}` : ''),
  );
  return `create table ${q(schema)}.${q(table.name)} (${columns.join(', ')})`;
}

export function dropTablesSql(schema: string): string {
  const names = [...sampleTables].reverse().map((table) => `${q(schema)}.${q(table.name)}`);
  return `drop table if exists ${names.join(', ')} cascade`;
}

export function constraintsAndIndexesSql(schema: string, table: SampleTable): string[] {
  const name = `${q(schema)}.${q(table.name)}`;
  const statements = [
    `alter table ${name} add constraint ${q(`${table.name}_pkey`)} primary key (id)`,
  ];
  for (const column of table.unique ?? []) {
    statements.push(
      `alter table ${name} add constraint ${q(`${table.name}_${column}_key`)} unique ` +
        `(${q(column)})`,
    );
  }
  if (table.references) {
    const { column, table: referenced } = table.references;
    statements.push(
      `alter table ${name} add constraint ${q(`${table.name}_${column}_fkey`)} foreign key ` +
        `(${q(column)}) references ${q(schema)}.${q(referenced)} (id)`,
    );
    // Postgres does not index the referencing side; deleting a customer would scan all accounts
    // without it.
    statements.push(`create index ${q(`${table.name}_${column}_idx`)} on ${name} (${q(column)})`);
  }
  const [order, pk] = table.cursorIndex;
  statements.push(
    `create index ${q(`${table.name}_${order}_${pk}_idx`)} on ${name} (${q(order)}, ${q(pk)})`,
  );
  return statements;
}
