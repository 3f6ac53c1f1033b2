// The columns of a Postgres table as the catalog describes them, with their portable type.
import type pg from 'pg';
import type { PrequelType, SchemaColumn } from '../../lib/prequel/contract/source-actions';
import { ExtractFailure } from './extract-error';

export function postgresPrequelType(rawType: string): PrequelType {
  const type = rawType.toLowerCase();
  if (type.endsWith('[]')) return 'array';
  if (/^(smallint|integer|bigint|int[248]?|serial|bigserial|smallserial|oid)$/.test(type)) return 'integer';
  if (/^(numeric|decimal|money)/.test(type)) return 'decimal';
  if (/^(real|double precision|float[48]?)$/.test(type)) return 'float';
  if (type === 'boolean' || type === 'bool') return 'boolean';
  if (type.startsWith('timestamp')) return 'timestamp';
  if (type === 'date') return 'date';
  if (type.startsWith('time')) return 'time';
  if (type === 'json' || type === 'jsonb') return 'json';
  if (type === 'bytea') return 'bytes';
  if (type === 'uuid') return 'uuid';
  return 'string';
}

export async function describePostgresColumns(client: pg.ClientBase, namespace: string, table: string): Promise<SchemaColumn[]> {
  const result = await client.query<{ name: string; raw_type: string; ordinal_position: string; is_nullable: string }>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as raw_type, a.attnum::text as ordinal_position, (not a.attnotnull)::text as is_nullable
     from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    [namespace, table],
  );
  if (!result.rows.length) {
    throw new ExtractFailure('source', 'source_schema_changed', 'The table is missing', `The table ${namespace}.${table} does not exist or the import user cannot see it.`);
  }
  return result.rows.map((row, index) => ({
    name: row.name,
    raw_type: row.raw_type,
    prequel_type: postgresPrequelType(row.raw_type),
    ordinal_position: index + 1,
    is_nullable: row.is_nullable === 'true',
  }));
}
