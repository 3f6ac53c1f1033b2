// The table browser for MySQL/MariaDB: a keyset page of names, then a fixed number of catalog reads
// for that page.
import type mysql from 'mysql2/promise';
import { mysqlPrequelType } from '../prequel-type';
import { describeTable } from '../table-hints';
import { likeContains, type TablePage, type TablePageRequest } from '../table-page';
import { readMysqlAccess } from './mysql-access';
import { jsonKey, mariadbJsonColumns, MYSQL_SYSTEM_SCHEMAS } from './mysql-schema';

const key = (schema: unknown, table: unknown) => `${String(schema)}\u0000${String(table)}`;

export async function listMysqlTables(
  connection: mysql.Connection,
  request: TablePageRequest,
): Promise<TablePage> {
  const conditions = [
    `TABLE_SCHEMA NOT IN (?)`,
    `TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')`,
  ];
  const params: unknown[] = [MYSQL_SYSTEM_SCHEMAS];
  if (request.namespace) {
    conditions.push('TABLE_SCHEMA = ?');
    params.push(request.namespace);
  }
  if (request.search) {
    conditions.push(
      `(LOWER(TABLE_NAME) LIKE ? OR LOWER(CONCAT(TABLE_SCHEMA, '.', TABLE_NAME)) LIKE ?)`,
    );
    const pattern = likeContains(request.search.toLowerCase());
    params.push(pattern, pattern);
  }
  // Binary comparison: names differing only in case are distinct tables on most servers, and the
  // order must be total.
  const descending = request.order === 'desc';
  if (request.after) {
    conditions.push(
      `(CAST(TABLE_SCHEMA AS BINARY), CAST(TABLE_NAME AS BINARY)) ${descending ? '<' : '>'} ` +
        `(CAST(? AS BINARY), CAST(? AS BINARY))`,
    );
    params.push(request.after.namespace, request.after.name);
  }
  const direction = descending ? 'DESC' : 'ASC';
  // Only names here: TABLE_ROWS would make the server open every table it scans.
  const [names] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS namespace, TABLE_NAME AS name FROM information_schema.TABLES WHERE
      ${conditions.join(' AND ')}
     ORDER BY CAST(TABLE_SCHEMA AS BINARY) ${direction}, CAST(TABLE_NAME AS BINARY) ${direction}
       LIMIT ${request.pageSize + 1}`,
    params,
  );
  const page = names
    .slice(0, request.pageSize)
    .map((row) => ({ namespace: String(row.namespace), name: String(row.name) }));
  if (page.length === 0) return { tables: [], next: null };

  const schemas = [...new Set(page.map((table) => table.namespace))];
  const tables = [...new Set(page.map((table) => table.name))];
  const [details] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, TABLE_TYPE AS type, TABLE_ROWS AS estimated FROM ` +
      `information_schema.TABLES WHERE TABLE_SCHEMA IN (?) AND TABLE_NAME IN (?)`,
    [schemas, tables],
  );
  const [columns] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS name, COLUMN_TYPE AS type FROM
      information_schema.COLUMNS
     WHERE TABLE_SCHEMA IN (?) AND TABLE_NAME IN (?) ORDER BY TABLE_SCHEMA, TABLE_NAME,
       ORDINAL_POSITION`,
    [schemas, tables],
  );
  const [keys] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS name FROM
      information_schema.STATISTICS
     WHERE INDEX_NAME = 'PRIMARY' AND TABLE_SCHEMA IN (?) AND TABLE_NAME IN (?) ORDER BY
       TABLE_SCHEMA, TABLE_NAME, SEQ_IN_INDEX`,
    [schemas, tables],
  );
  const json = await mariadbJsonColumns(connection, schemas, tables);
  const access = await readMysqlAccess(connection, schemas);

  const detailOf = new Map(details.map((row) => [key(row.s, row.t), row]));
  const group = (rows: mysql.RowDataPacket[]) => {
    const grouped = new Map<string, mysql.RowDataPacket[]>();
    for (const row of rows)
      grouped.set(key(row.s, row.t), [...(grouped.get(key(row.s, row.t)) ?? []), row]);
    return grouped;
  };
  const columnsOf = group(columns);
  const keysOf = group(keys);

  const last = page[page.length - 1]!;
  return {
    tables: page.map((table) => {
      const id = key(table.namespace, table.name);
      const detail = detailOf.get(id);
      const isView = detail?.type === 'VIEW';
      return describeTable({
        namespace: table.namespace,
        name: table.name,
        estimatedRows: isView || detail?.estimated == null ? null : Number(detail.estimated),
        primaryKey: (keysOf.get(id) ?? []).map((row) => String(row.name)),
        readable: access.canRead(table.namespace, table.name),
        columns: (columnsOf.get(id) ?? []).map((row) => {
          const isJson = json.has(jsonKey(table.namespace, table.name, String(row.name)));
          return {
            name: String(row.name),
            type: mysqlPrequelType(isJson ? 'json' : String(row.type)),
          };
        }),
      });
    }),
    next: names.length > request.pageSize ? last : null,
  };
}
