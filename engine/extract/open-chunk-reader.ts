// Opens the right reader for a dataset: its source's vendor (Postgres or MySQL) and method (table or SQL).
import mysql from 'mysql2/promise';
import pg from 'pg';
import { type DatasetCreate } from '../../lib/prequel/contract/dataset';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import { SourceCreateSchema, type SourceCreate } from '../../lib/prequel/contract/source';
import type { EngineContext } from '../engine-context';
import { mergeSecrets } from '../secrets/split-secrets';
import { openPostgresTableReader } from './postgres-table-reader';
import { openPostgresQueryReader } from './postgres-query-reader';
import { describePostgresColumns, postgresPrequelType } from './postgres-columns';
import { describeMysqlColumns } from './mysql-columns';
import { openMysqlTableReader } from './mysql-table-reader';
import type { Cursor, ReadMode } from './read-plan';
import type { ChunkReader } from './source-chunks';
import { ExtractFailure } from './extract-error';

export interface OpenReaderArgs {
  dataset: DatasetCreate;
  sourceId: string;
  mode: ReadMode;
  cursor: Cursor | null;
  workDir: string;
  chunkRows?: number;
  lagSeconds?: number;
}

export type DatasetReader = ChunkReader & { schema: SchemaColumn[] };

async function loadSource(engine: EngineContext, sourceId: string): Promise<SourceCreate> {
  const row = (await engine.db.query<{ body: Record<string, unknown>; secrets: Buffer | null }>('select body, secrets from sources where id = $1', [sourceId])).rows[0];
  if (!row) throw new ExtractFailure('engine', 'source_deleted', 'The source no longer exists', 'The source of this dataset was deleted.');
  const secrets = row.secrets ? engine.secretBox.open(`source:${sourceId}`, row.secrets) : {};
  return SourceCreateSchema.parse(mergeSecrets(row.body, secrets));
}

async function connectPostgres(source: Extract<SourceCreate, { vendor: 'postgres' }>): Promise<pg.Client> {
  const config = source.postgres;
  const client = new pg.Client({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.password_auth.username,
    password: config.password_auth.password,
    ssl: config.disable_ssl ? false : { rejectUnauthorized: false },
    connectionTimeoutMillis: (config.connection_timeout_in_seconds ?? 10) * 1000,
    application_name: 'inlet-extract',
    // Every value arrives in the database's own text form: exact, and the same as COPY writes.
    types: { getTypeParser: () => (value: string) => value },
  });
  // A connection killed by the server fails the read in progress; the event itself must not crash the engine.
  client.on('error', () => {});
  await client.connect();
  return client;
}

async function connectMysql(source: Extract<SourceCreate, { vendor: 'mysql' }>): Promise<mysql.Connection> {
  const config = source.mysql;
  const connection = await mysql.createConnection({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.password_auth.username,
    password: config.password_auth.password,
    ssl: config.disable_ssl ? undefined : { rejectUnauthorized: false },
    connectTimeout: (config.connection_timeout_in_seconds ?? 10) * 1000,
    multipleStatements: false,
    timezone: 'Z',
    // Every value as the server's text, exact (big integers, decimals, DATETIME(6)); binary as hex.
    typeCast: (field, next) => {
      if (field.type === 'BLOB' || field.type === 'STRING' || field.type === 'VAR_STRING') {
        const buffer = field.buffer();
        if (buffer === null) return null;
        return (field as unknown as { charset?: number; characterSet?: number }).characterSet === 63 ? buffer.toString('hex') : buffer.toString('utf8');
      }
      void next;
      return field.string();
    },
  });
  connection.on('error', () => {});
  return connection;
}

async function openMysqlReader(source: Extract<SourceCreate, { vendor: 'mysql' }>, args: OpenReaderArgs): Promise<DatasetReader> {
  if (args.mode.kind === 'query') {
    throw new ExtractFailure('source', 'method_not_supported', 'SQL datasets are not supported for MySQL yet', 'Use a table dataset for MySQL sources.');
  }
  const connection = await connectMysql(source);
  try {
    const table = args.dataset.table!;
    const database = table.source_table_namespace;
    const schema = await describeMysqlColumns(connection, database, table.source_table_name);
    const orderName = args.mode.kind === 'incremental' ? args.mode.orderColumn : undefined;
    const orderColumn = schema.find((column) => column.name === orderName);
    const reader = await openMysqlTableReader({
      connection,
      database,
      table: table.source_table_name,
      columns: schema.map((column) => column.name),
      mode: args.mode,
      orderIsTime: orderColumn ? ['timestamp', 'date'].includes(orderColumn.prequel_type) : false,
      cursor: args.cursor,
      chunkRows: args.chunkRows ?? 50_000,
      lagSeconds: args.lagSeconds ?? 300,
      workDir: args.workDir,
    });
    return { ...reader, schema };
  } catch (error) {
    await connection.end().catch(() => {});
    throw error;
  }
}

export async function openChunkReader(engine: EngineContext, args: OpenReaderArgs): Promise<DatasetReader> {
  const source = await loadSource(engine, args.sourceId);
  if (source.vendor === 'mysql') return openMysqlReader(source, args);
  if (source.vendor !== 'postgres') {
    throw new ExtractFailure('source', 'vendor_not_supported', 'This source cannot be read', `Extracts from ${source.vendor} sources are not supported by this engine yet.`);
  }
  const client = await connectPostgres(source);
  try {
    const chunkRows = args.chunkRows ?? 50_000;
    if (args.mode.kind === 'query') {
      const reader = await openPostgresQueryReader({ client, query: args.mode.query, chunkRows, workDir: args.workDir });
      return reader;
    }
    const table = args.dataset.table!;
    const schema = await describePostgresColumns(client, table.source_table_namespace, table.source_table_name);
    const orderColumn = args.mode.kind === 'incremental' ? schema.find((column) => column.name === (args.mode as { orderColumn: string }).orderColumn) : undefined;
    for (const needed of [args.mode.pkColumn, ...(args.mode.kind === 'incremental' ? [args.mode.orderColumn] : [])]) {
      if (!schema.some((column) => column.name === needed)) {
        throw new ExtractFailure('source', 'source_schema_changed', 'A column is missing', `The table ${table.source_table_namespace}.${table.source_table_name} has no column "${needed}". Update the dataset or restore the column.`);
      }
    }
    const reader = await openPostgresTableReader({
      client,
      namespace: table.source_table_namespace,
      table: table.source_table_name,
      columns: schema.map((column) => column.name),
      mode: args.mode,
      orderIsTime: orderColumn ? ['timestamp', 'date'].includes(orderColumn.prequel_type) : false,
      cursor: args.cursor,
      chunkRows,
      lagSeconds: args.lagSeconds ?? 300,
      workDir: args.workDir,
    });
    return { ...reader, schema };
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

export { postgresPrequelType };
