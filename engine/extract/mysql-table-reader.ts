// Reads a MySQL/MariaDB table in keyset chunks, each in one consistent read-only snapshot, into CSV
// files.
import path from 'node:path';
import type { Connection, FieldPacket, RowDataPacket } from 'mysql2/promise';
import type { Connection as CallbackConnection } from 'mysql2';
import { CsvFileWriter } from './csv-writer';
import {
  afterCursor,
  type Cursor,
  mysqlDialect as sql,
  orderBy,
  upToBoundary,
  where,
} from './read-plan';
import type { ChunkReader, KeysetReadOptions, SourceChunk } from './source-chunks';

export interface MysqlTableReadOptions extends KeysetReadOptions {
  connection: Connection;
  database: string;
}

/** Streams a query's rows (as text) into a CSV file without holding them in memory. */
async function streamToCsv(connection: Connection, query: string, file: string): Promise<number> {
  const writer = new CsvFileWriter(file);
  const raw = (connection as unknown as { connection: CallbackConnection }).connection;
  const stream = raw.query({ sql: query, rowsAsArray: true }).stream({ highWaterMark: 1000 });
  for await (const row of stream as AsyncIterable<(string | null)[]>) await writer.write(row);
  await writer.close();
  return writer.rows;
}

export async function openMysqlTableReader(options: MysqlTableReadOptions): Promise<ChunkReader> {
  const { connection, mode, chunkRows, workDir } = options;
  await connection.query(`set time_zone = '+00:00'`);
  const table = `${sql.quoteIdent(options.database)}.${sql.quoteIdent(options.table)}`;
  const columnList = options.columns.map(sql.quoteIdent).join(', ');
  const pk = sql.quoteIdent(mode.pkColumn);
  const orderColumn = mode.kind === 'incremental' ? sql.quoteIdent(mode.orderColumn) : null;

  const [clockRows] = await connection.query<RowDataPacket[]>(
    `select date_format(utc_timestamp(6), '%Y-%m-%d %H:%i:%s.%f') as upper, ` +
      `date_format(utc_timestamp(6) - interval ? second, '%Y-%m-%d %H:%i:%s.%f') as cap`,
    [options.lagSeconds],
  );
  const clock =
    orderColumn && options.orderIsTime ? (clockRows[0] as { upper: string; cap: string }) : null;
  const upperBound = orderColumn && clock ? `${orderColumn} <= ${sql.literal(clock.upper)}` : null;
  const [estimate] = await connection.query<RowDataPacket[]>(
    `select table_rows as n from information_schema.tables where table_schema = ? and table_name ` +
      `= ?`,
    [options.database, options.table],
  );
  const estimatedRows =
    estimate[0]?.n === null || estimate[0]?.n === undefined ? null : Number(estimate[0].n);

  async function* chunks(): AsyncGenerator<SourceChunk> {
    let position = options.cursor;
    for (let part = 1; ; part++) {
      const after = afterCursor(mode, position, sql);
      await connection.query('start transaction with consistent snapshot, read only');
      try {
        const select = orderColumn
          ? `cast(${orderColumn} as char) as o, cast(${pk} as char) as k`
          : `cast(${pk} as char) as k`;
        const [boundaryRows] = await connection.query<RowDataPacket[]>(
          `select ${select} from ${table} ${where(after, upperBound)} order by ` +
            `${orderBy(mode, sql)} limit 1 offset ${chunkRows - 1}`,
        );
        const boundary = boundaryRows[0] as { o?: string; k: string } | undefined;
        let last = boundary;
        if (!last) {
          const descending = orderColumn ? `${orderColumn} desc, ${pk} desc` : `${pk} desc`;
          const [lastRows] = await connection.query<RowDataPacket[]>(
            `select ${select} from ${table} ${where(after, upperBound)} order by ${descending} ` +
              `limit 1`,
          );
          last = lastRows[0] as { o?: string; k: string } | undefined;
        }
        if (!last) {
          await connection.query('commit');
          return;
        }
        const reached: Cursor = { order: last.o ?? null, pk: String(last.k) };
        const csvPath = path.join(workDir, `chunk-${part}.csv`);
        const rows = await streamToCsv(
          connection,
          `select ${columnList} from ${table} ` +
            `${where(after, upperBound, upToBoundary(mode, reached, sql))}`,
          csvPath,
        );
        await connection.query('commit');
        position = reached;
        const persisted =
          clock && reached.order && reached.order > clock.cap
            ? { order: clock.cap, pk: null }
            : reached;
        yield { csvPath, rows, cursor: persisted };
        if (!boundary) return;
      } catch (error) {
        await connection.query('rollback').catch(() => {});
        throw error;
      }
    }
  }

  return {
    columns: options.columns,
    estimatedRows,
    chunks,
    writeAllKeys: (csvPath) => streamToCsv(connection, `select ${pk} from ${table}`, csvPath),
    close: async () => {
      await connection.end().catch(() => {});
    },
  };
}

export type { FieldPacket };
