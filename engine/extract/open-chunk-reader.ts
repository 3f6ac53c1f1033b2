// Opens the right reader for a dataset: its source's vendor (Postgres or MySQL) and method (table
// or SQL). Connections go through the sources module: the host is vetted by the policy and the
// socket pinned to it.
import { type DatasetCreate } from '../../lib/prequel/contract/dataset';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import type { SourceCreate } from '../../lib/prequel/contract/source';
import type { EngineContext } from '../engine-context';
import { JobFailure } from '../jobs/job-failure';
import { loadSourceConfig } from '../sources/load-source';
import { connectMysql } from '../sources/mysql/connect';
import { mysqlTableSchema } from '../sources/mysql/mysql-schema';
import { connectPostgres } from '../sources/postgres/connect';
import { postgresQuerySchema, postgresTableSchema } from '../sources/postgres/postgres-schema';
import { keepIdleClient, sourceClientKey, takeIdleClient } from './idle-source-clients';
import { openMysqlTableReader } from './mysql-table-reader';
import { openPostgresQueryReader } from './postgres-query-reader';
import { openPostgresTableReader } from './postgres-table-reader';
import type { Cursor, ReadMode } from './read-plan';
import type { ChunkReader } from './source-chunks';

export interface OpenReaderArgs {
  dataset: DatasetCreate;
  sourceId: string;
  mode: ReadMode;
  cursor: Cursor | null;
  workDir: string;
  chunkRows?: number;
  lagSeconds?: number;
  /** Bounds a SQL dataset's whole read. */
  queryTimeoutMs?: number;
}

export type DatasetReader = ChunkReader & { schema: SchemaColumn[] };

const DEFAULT_CHUNK_ROWS = 50_000;
const DEFAULT_QUERY_TIMEOUT_MS = 30 * 60_000;

// Every value in the database's own text form: exact, and the same bytes COPY writes.
const textTypes = { getTypeParser: () => (value: string) => value };

function requireColumns(schema: SchemaColumn[], mode: ReadMode, table: string) {
  const needed = mode.kind === 'incremental' ? [mode.pkColumn, mode.orderColumn] : [mode.pkColumn];
  for (const name of needed) {
    if (!schema.some((column) => column.name === name)) {
      throw new JobFailure(
        'source',
        'source_schema_changed',
        'A column is missing',
        `${table} has no column "${name}" any more. Update the dataset or restore the column.`,
      );
    }
  }
}

const isTime = (schema: SchemaColumn[], name: string | undefined) =>
  ['timestamp', 'date'].includes(schema.find((column) => column.name === name)?.prequel_type ?? '');

async function openPostgresReader(
  source: Extract<SourceCreate, { vendor: 'postgres' }>,
  engine: EngineContext,
  args: OpenReaderArgs,
): Promise<DatasetReader> {
  // A table is read on a connection kept from an earlier extract of the source if one is idle; a
  // query (user SQL, its own timeouts) always on a fresh one.
  const clientKey = sourceClientKey(args.sourceId, source.postgres);
  const client =
    (args.mode.kind !== 'query' ? await takeIdleClient(engine, clientKey) : null) ??
    (await connectPostgres(source.postgres, engine, { types: textTypes }));
  try {
    const chunkRows = args.chunkRows ?? DEFAULT_CHUNK_ROWS;
    if (args.mode.kind === 'query') {
      const timeoutMs = args.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
      const schema = await postgresQuerySchema(client, args.mode.query, timeoutMs);
      requireColumns(schema, args.mode, 'The query');
      const reader = await openPostgresQueryReader({
        client,
        query: args.mode.query,
        columns: schema.map((column) => column.name),
        chunkRows,
        workDir: args.workDir,
        timeoutMs,
      });
      return { ...reader, schema };
    }
    const table = args.dataset.table!;
    const schema = await postgresTableSchema(client, {
      namespace: table.source_table_namespace,
      name: table.source_table_name,
    });
    requireColumns(schema, args.mode, `${table.source_table_namespace}.${table.source_table_name}`);
    const reader = await openPostgresTableReader({
      client,
      namespace: table.source_table_namespace,
      table: table.source_table_name,
      columns: schema.map((column) => column.name),
      mode: args.mode,
      orderIsTime: args.mode.kind === 'incremental' && isTime(schema, args.mode.orderColumn),
      cursor: args.cursor,
      chunkRows,
      lagSeconds: args.lagSeconds ?? 300,
      workDir: args.workDir,
      release: (idle) => keepIdleClient(engine, clientKey, idle),
    });
    return { ...reader, schema };
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

async function openMysqlReader(
  source: Extract<SourceCreate, { vendor: 'mysql' }>,
  engine: EngineContext,
  args: OpenReaderArgs,
): Promise<DatasetReader> {
  if (args.mode.kind === 'query') {
    throw new JobFailure(
      'source',
      'method_not_supported',
      'SQL datasets are not supported for MySQL yet',
      'Use a table dataset for MySQL and MariaDB sources.',
    );
  }
  const connection = await connectMysql(source.mysql, engine, {
    // Every value as the server's text (exact big numbers, decimals, DATETIME(6)); binary strings
    // as hex.
    typeCast: (field) => {
      if (field.type === 'BLOB' || field.type === 'STRING' || field.type === 'VAR_STRING') {
        const buffer = field.buffer();
        if (buffer === null) return null;
        return (field as unknown as { characterSet?: number }).characterSet === 63
          ? buffer.toString('hex')
          : buffer.toString('utf8');
      }
      return field.string();
    },
  });
  try {
    const table = args.dataset.table!;
    const schema = await mysqlTableSchema(connection, {
      namespace: table.source_table_namespace,
      name: table.source_table_name,
    });
    requireColumns(schema, args.mode, `${table.source_table_namespace}.${table.source_table_name}`);
    const reader = await openMysqlTableReader({
      connection,
      database: table.source_table_namespace,
      table: table.source_table_name,
      columns: schema.map((column) => column.name),
      mode: args.mode,
      orderIsTime: args.mode.kind === 'incremental' && isTime(schema, args.mode.orderColumn),
      cursor: args.cursor,
      chunkRows: args.chunkRows ?? DEFAULT_CHUNK_ROWS,
      lagSeconds: args.lagSeconds ?? 300,
      workDir: args.workDir,
    });
    return { ...reader, schema };
  } catch (error) {
    await connection.end().catch(() => {});
    throw error;
  }
}

export async function openChunkReader(
  engine: EngineContext,
  args: OpenReaderArgs,
): Promise<DatasetReader> {
  const source = await loadSourceConfig(engine, args.sourceId);
  if (source.vendor === 'postgres') return openPostgresReader(source, engine, args);
  if (source.vendor === 'mysql') return openMysqlReader(source, engine, args);
  throw new JobFailure(
    'source',
    'vendor_not_supported',
    'This source cannot be read',
    `Extracts from ${source.vendor} sources are not supported by this engine yet.`,
  );
}
