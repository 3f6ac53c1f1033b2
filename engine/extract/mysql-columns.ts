// The columns of a MySQL/MariaDB table from information_schema, with their portable type.
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { PrequelType, SchemaColumn } from '../../lib/prequel/contract/source-actions';
import { ExtractFailure } from './extract-error';

export function mysqlPrequelType(columnType: string): PrequelType {
  const type = columnType.toLowerCase();
  if (type === 'tinyint(1)' || type.startsWith('bool')) return 'boolean';
  if (/^(tinyint|smallint|mediumint|int|integer|bigint|year)/.test(type)) return 'integer';
  if (/^(decimal|numeric)/.test(type)) return 'decimal';
  if (/^(float|double|real)/.test(type)) return 'float';
  if (/^(datetime|timestamp)/.test(type)) return 'timestamp';
  if (type === 'date') return 'date';
  if (type.startsWith('time')) return 'time';
  if (type === 'json') return 'json';
  if (/^(binary|varbinary|tinyblob|blob|mediumblob|longblob)/.test(type)) return 'bytes';
  return 'string';
}

export async function describeMysqlColumns(connection: Connection, database: string, table: string): Promise<SchemaColumn[]> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `select column_name as name, column_type as raw_type, is_nullable, data_type, check_clause
     from information_schema.columns c
     left join information_schema.check_constraints k on k.constraint_schema = c.table_schema and k.table_name = c.table_name and k.constraint_name = c.column_name
     where c.table_schema = ? and c.table_name = ? order by ordinal_position`,
    [database, table],
  );
  if (!rows.length) throw new ExtractFailure('source', 'source_schema_changed', 'The table is missing', `The table ${database}.${table} does not exist or the import user cannot see it.`);
  return rows.map((row, index) => {
    const raw = String(row.raw_type);
    // MariaDB stores JSON as longtext with a json_valid() check constraint named after the column.
    const isJson = String(row.data_type).toLowerCase() === 'json' || /json_valid/i.test(String(row.check_clause ?? ''));
    return {
      name: String(row.name),
      raw_type: isJson ? 'json' : raw,
      prequel_type: isJson ? 'json' : mysqlPrequelType(raw),
      ordinal_position: index + 1,
      is_nullable: row.is_nullable === 'YES',
    };
  });
}
