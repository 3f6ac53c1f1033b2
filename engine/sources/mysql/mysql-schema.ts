// get-schema for MySQL/MariaDB: a table's columns from information_schema, or a query's columns
// from PREPARE alone.
import type mysql from 'mysql2/promise';
import type { SchemaColumn } from '../../../lib/prequel/contract/source-actions';
import { mysqlPrequelType } from '../prequel-type';
import { type QualifiedName, similarNames } from '../similar-names';
import { TableNotFoundError } from '../table-not-found-error';
import { UserQueryError } from '../user-query-error';
import { mysqlFlavor, setMysqlStatementTimeout } from './connect';

export const MYSQL_SYSTEM_SCHEMAS = ['mysql', 'sys', 'performance_schema', 'information_schema'];

/**
 * MariaDB stores JSON as LONGTEXT with a json_valid() check; these are the columns that have one.
 */
export async function mariadbJsonColumns(
  connection: mysql.Connection,
  schemas: string[],
  tables: string[],
): Promise<Set<string>> {
  if (!schemas.length || (await mysqlFlavor(connection)) !== 'mariadb') return new Set();
  const [rows] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT CONSTRAINT_SCHEMA AS s, TABLE_NAME AS t, CHECK_CLAUSE AS c FROM
      information_schema.CHECK_CONSTRAINTS
     WHERE CONSTRAINT_SCHEMA IN (?) AND TABLE_NAME IN (?) AND CHECK_CLAUSE LIKE 'json_valid(%'`,
    [schemas, tables],
  );
  const columns = new Set<string>();
  for (const row of rows) {
    const column = /^json_valid\(`((?:[^`]|``)+)`\)$/.exec(String(row.c))?.[1];
    if (column) columns.add(jsonKey(String(row.s), String(row.t), column.replaceAll('``', '`')));
  }
  return columns;
}

export const jsonKey = (schema: string, table: string, column: string) =>
  `${schema}\u0000${table}\u0000${column}`;

export async function mysqlTableSchema(
  connection: mysql.Connection,
  table: QualifiedName,
): Promise<SchemaColumn[]> {
  // Plain equality keeps information_schema's per-table lookup fast; the exact (case-sensitive)
  // match is made here.
  const [rows] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS name, COLUMN_TYPE AS type,
      IS_NULLABLE AS nullable
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY
       ORDINAL_POSITION`,
    [table.namespace, table.name],
  );
  const columns = rows.filter((row) => row.s === table.namespace && row.t === table.name);
  if (columns.length === 0) throw await tableNotFound(connection, table);
  const json = await mariadbJsonColumns(connection, [table.namespace], [table.name]);
  return columns.map((column, index) => {
    const rawType = json.has(jsonKey(table.namespace, table.name, String(column.name)))
      ? 'json'
      : String(column.type);
    return {
      name: String(column.name),
      raw_type: rawType,
      prequel_type: mysqlPrequelType(rawType),
      ordinal_position: index + 1,
      is_nullable: column.nullable === 'YES',
    };
  });
}

async function tableNotFound(
  connection: mysql.Connection,
  wanted: QualifiedName,
): Promise<TableNotFoundError> {
  const [candidates] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS namespace, TABLE_NAME AS name FROM information_schema.TABLES
     WHERE TABLE_SCHEMA NOT IN (?) AND (LOWER(LEFT(TABLE_NAME, 1)) = LOWER(LEFT(?, 1)) OR
       LOCATE(LOWER(?), LOWER(TABLE_NAME)) > 0) LIMIT 5000`,
    [MYSQL_SYSTEM_SCHEMAS, wanted.name, wanted.name],
  );
  const [schemas] = await connection.query<mysql.RowDataPacket[]>(
    'SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [wanted.namespace],
  );
  const names = candidates.map((row) => ({
    namespace: String(row.namespace),
    name: String(row.name),
  }));
  return new TableNotFoundError(
    wanted,
    similarNames(wanted, names),
    schemas.some((row) => row.s === wanted.namespace),
  );
}

/**
 * The column definition packets MySQL returns for a prepared statement (mysql2 keeps them on the
 * raw statement).
 */
interface ColumnDefinition {
  name: string;
  columnType: number;
  columnLength: number;
  flags: number;
  decimals: number;
  characterSet: number;
  extendedTypeName?: string;
  extendedFormat?: string;
}

/**
 * PREPARE parses the query, resolves its names and checks privileges without running it; its column
 * definitions are the result's shape. A second statement is a syntax error there, and nothing the
 * query asks for is executed.
 */
export async function mysqlQuerySchema(
  connection: mysql.Connection,
  query: string,
  timeoutMs: number,
): Promise<SchemaColumn[]> {
  await setMysqlStatementTimeout(connection, timeoutMs);
  await connection.query('START TRANSACTION READ ONLY');
  let columns: ColumnDefinition[];
  try {
    const prepared = (await connection.prepare(query)) as unknown as {
      statement: { columns?: ColumnDefinition[] };
    };
    columns = prepared.statement.columns ?? [];
    connection.unprepare(query);
  } catch (error) {
    throw toMysqlQueryError(error, query, timeoutMs);
  } finally {
    await connection.query('ROLLBACK').catch(() => {});
  }
  if (columns.length === 0) {
    throw new UserQueryError(
      'invalid_query',
      'The query returns no columns: write a SELECT that returns the columns of the dataset.',
    );
  }
  return columns.map((column, index) => {
    const rawType = mysqlRawType(column);
    return {
      name: column.name,
      raw_type: rawType,
      prequel_type: mysqlPrequelType(rawType),
      ordinal_position: index + 1,
      // As for Postgres: a result's nullability is not reliable metadata (servers differ, outer
      // joins null anything).
      is_nullable: true,
    };
  });
}

const UNSIGNED_FLAG = 32;
const ENUM_FLAG = 256;
const SET_FLAG = 2048;
const BINARY_CHARSET = 63;

const INTEGER_TYPES: Record<number, string> = {
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  8: 'bigint',
  9: 'mediumint',
};

/**
 * A type name in COLUMN_TYPE's words from a result column definition (string lengths are not
 * recoverable).
 */
export function mysqlRawType(column: Omit<ColumnDefinition, 'name'>): string {
  if (column.extendedFormat === 'json') return 'json';
  if (column.extendedTypeName) return column.extendedTypeName;
  const unsigned = column.flags & UNSIGNED_FLAG ? ' unsigned' : '';
  const binary = column.characterSet === BINARY_CHARSET;
  const fsp = column.decimals > 0 && column.decimals <= 6 ? `(${column.decimals})` : '';
  switch (column.columnType) {
    case 1:
      return column.columnLength === 1 ? `tinyint(1)${unsigned}` : `tinyint${unsigned}`;
    case 2:
    case 3:
    case 8:
    case 9:
      return `${INTEGER_TYPES[column.columnType]}${unsigned}`;
    case 0:
    case 246: {
      const precision = column.columnLength - (column.decimals > 0 ? 1 : 0) - (unsigned ? 0 : 1);
      return `decimal(${precision},${column.decimals})${unsigned}`;
    }
    case 4:
      return 'float';
    case 5:
      return 'double';
    case 7:
      return `timestamp${fsp}`;
    case 12:
      return `datetime${fsp}`;
    case 10:
    case 14:
      return 'date';
    case 11:
      return `time${fsp}`;
    case 13:
      return 'year';
    case 16:
      return `bit(${column.columnLength})`;
    case 245:
      return 'json';
    case 247:
      return 'enum';
    case 248:
      return 'set';
    case 249:
    case 250:
    case 251:
    case 252:
      return binary ? 'blob' : 'text';
    case 253:
      return binary ? 'varbinary' : 'varchar';
    case 254:
      if (column.flags & ENUM_FLAG) return 'enum';
      if (column.flags & SET_FLAG) return 'set';
      return binary ? 'binary' : 'char';
    case 255:
      return 'geometry';
    default:
      return 'unknown';
  }
}

interface MysqlError {
  errno?: number;
  sqlMessage?: string;
  message?: string;
  fatal?: boolean;
}

function toMysqlQueryError(error: unknown, query: string, timeoutMs: number): Error {
  const { errno, sqlMessage, fatal } = (error ?? {}) as MysqlError;
  if (!sqlMessage || errno === undefined || fatal) return error as Error;
  if (errno === 1969 || errno === 3024) {
    return new UserQueryError(
      'query_timeout',
      `The query did not finish within ${timeoutMs / 1000} s and was cancelled: make it cheaper ` +
        `or read fewer rows.`,
    );
  }
  if (errno === 1064 && /;\s*\S/.test(query)) {
    return new UserQueryError(
      'invalid_query',
      `The database rejected the query: ${sqlMessage}. A SQL dataset is a single statement: ` +
        `remove everything after the first semicolon.`,
    );
  }
  return new UserQueryError('invalid_query', `The database rejected the query: ${sqlMessage}.`);
}
