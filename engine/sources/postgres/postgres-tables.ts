// The table browser for Postgres: one catalog query per page, keyset-paginated on (schema, name).
import type pg from 'pg';
import { postgresPrequelType } from '../prequel-type';
import { describeTable } from '../table-hints';
import { likeContains, type TablePage, type TablePageRequest } from '../table-page';

interface TableRow {
  namespace: string;
  name: string;
  estimated_rows: string | null;
  readable: boolean;
  primary_key: string[];
  columns: [string, string][];
}

export async function listPostgresTables(
  client: pg.Client,
  request: TablePageRequest,
): Promise<TablePage> {
  const descending = request.order === 'desc';
  const direction = descending ? 'desc' : 'asc';
  // The page is chosen first, so the per-table subqueries run for its rows only.
  const result = await client.query<TableRow>(
    `with page as (
       select c.oid, n.oid as namespace_oid, n.nspname, c.relname, c.relkind, c.reltuples
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition
         and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~
           '^pg_(toast|temp_)'
         and ($1::text is null or n.nspname = $1)
         and ($2::text is null or c.relname ilike $2 or (n.nspname || '.' || c.relname) ilike $2)
         and ($3::text is null or (n.nspname, c.relname) ${descending ? '<' : '>'} ($3::name,
           $4::name))
       order by n.nspname ${direction}, c.relname ${direction}
       limit $5
     )
     select p.nspname as namespace, p.relname as name,
       case when p.relkind <> 'v' and p.reltuples >= 0 then p.reltuples::bigint::text end as
         estimated_rows,
       has_schema_privilege(p.namespace_oid, 'USAGE') and has_table_privilege(p.oid, 'SELECT')
         as readable,
       coalesce((
         select array_agg(a.attname::text order by k.position)
         from pg_index i cross join unnest(i.indkey::int2[]) with ordinality as k(attnum, position)
         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where i.indrelid = p.oid and i.indisprimary
       ), '{}') as primary_key,
       coalesce((
         select json_agg(json_build_array(a.attname,
           case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) else
             format_type(a.atttypid, a.atttypmod) end) order by a.attnum)
         from pg_attribute a join pg_type t on t.oid = a.atttypid
         where a.attrelid = p.oid and a.attnum > 0 and not a.attisdropped
       ), '[]') as columns
     from page p order by p.nspname ${direction}, p.relname ${direction}`,
    [
      request.namespace ?? null,
      request.search ? likeContains(request.search) : null,
      request.after?.namespace ?? null,
      request.after?.name ?? null,
      request.pageSize + 1,
    ],
  );
  const rows = result.rows.slice(0, request.pageSize);
  const last = rows[rows.length - 1];
  return {
    tables: rows.map((row) =>
      describeTable({
        namespace: row.namespace,
        name: row.name,
        estimatedRows: row.estimated_rows === null ? null : Number(row.estimated_rows),
        primaryKey: row.primary_key,
        readable: row.readable,
        columns: row.columns.map(([name, type]) => ({ name, type: postgresPrequelType(type) })),
      }),
    ),
    next:
      result.rows.length > request.pageSize && last
        ? { namespace: last.namespace, name: last.name }
        : null,
  };
}
