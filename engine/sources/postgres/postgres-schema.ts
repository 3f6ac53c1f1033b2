// get-schema for Postgres: a table's columns from the catalog, or a query's columns from its row
// description.
import type pg from 'pg';
import type { SchemaColumn } from '../../../lib/prequel/contract/source-actions';
import { postgresPrequelType } from '../prequel-type';
import { type QualifiedName, similarNames } from '../similar-names';
import { TableNotFoundError } from '../table-not-found-error';
import { UserQueryError } from '../user-query-error';
import { openSqlCursor } from './sql-cursor';

const RELATION_KINDS = `('r', 'p', 'v', 'm', 'f')`;
const USER_SCHEMAS =
  `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ ` + `'^pg_(toast|temp_)'`;

interface ColumnRow {
  name: string;
  raw_type: string;
  base_type: string;
  /**
   * 't'/'f' when the connection parses no types (the extract's connection keeps values as text).
   */
  is_nullable: boolean | string;
}

export async function postgresTableSchema(
  client: pg.Client,
  table: QualifiedName,
): Promise<SchemaColumn[]> {
  const found = await client.query<{ oid: number }>(
    `select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname ` +
      `= $1 and c.relname = $2 and c.relkind in ${RELATION_KINDS}`,
    [table.namespace, table.name],
  );
  const oid = found.rows[0]?.oid;
  if (oid === undefined) throw await tableNotFound(client, table);
  // Domains are typed by their base type; raw_type keeps the name the column was declared with.
  const columns = await client.query<ColumnRow>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as raw_type,
       case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) else
         format_type(a.atttypid, a.atttypmod) end as base_type,
       not a.attnotnull as is_nullable
     from pg_attribute a join pg_type t on t.oid = a.atttypid
     where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    [oid],
  );
  return columns.rows.map((column, index) => ({
    name: column.name,
    raw_type: column.raw_type,
    prequel_type: postgresPrequelType(column.base_type),
    ordinal_position: index + 1,
    is_nullable: column.is_nullable === true || column.is_nullable === 't',
  }));
}

async function tableNotFound(
  client: pg.Client,
  wanted: QualifiedName,
): Promise<TableNotFoundError> {
  // Names starting like the wanted one, or containing it, are enough candidates for a "did you
  // mean".
  const candidates = await client.query<QualifiedName>(
    `select n.nspname as namespace, c.relname as name from pg_class c join pg_namespace n on
      n.oid = c.relnamespace
     where c.relkind in ${RELATION_KINDS} and not c.relispartition and ${USER_SCHEMAS}
       and (lower(left(c.relname, 1)) = lower(left($1, 1)) or strpos(lower(c.relname),
         lower($1)) > 0 or strpos(lower($1), lower(c.relname)) > 0)
     limit 5000`,
    [wanted.name],
  );
  const namespace = await client.query('select 1 from pg_namespace where nspname = $1', [
    wanted.namespace,
  ]);
  return new TableNotFoundError(
    wanted,
    similarNames(wanted, candidates.rows),
    (namespace.rowCount ?? 0) > 0,
  );
}

export async function postgresQuerySchema(
  client: pg.Client,
  query: string,
  timeoutMs: number,
): Promise<SchemaColumn[]> {
  const cursor = await openSqlCursor(client, query, { timeoutMs, batchRows: 1 });
  await cursor.close();
  if (cursor.fields.length === 0) {
    throw new UserQueryError(
      'invalid_query',
      'The query returns no columns: write a SELECT that returns the columns of the dataset.',
    );
  }
  const types = await client.query<{ raw_type: string; base_type: string }>(
    `select format_type(f.type_oid, f.type_mod) as raw_type,
       case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) else
         format_type(f.type_oid, f.type_mod) end as base_type
     from unnest($1::oid[], $2::int[]) with ordinality as f(type_oid, type_mod, position)
     left join pg_type t on t.oid = f.type_oid order by f.position`,
    [
      cursor.fields.map((field) => field.dataTypeID),
      cursor.fields.map((field) => field.dataTypeModifier),
    ],
  );
  return cursor.fields.map((field, index) => ({
    name: field.name,
    raw_type: types.rows[index]!.raw_type,
    prequel_type: postgresPrequelType(types.rows[index]!.base_type),
    ordinal_position: index + 1,
    // A query's result carries no nullability (an outer join can null any column).
    is_nullable: true,
  }));
}
