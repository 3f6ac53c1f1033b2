// The source actions for database sources, whatever the vendor: test the connection, read a schema,
// browse tables.
import { READABLE_VENDORS, type SourceCreate } from '../../lib/prequel/contract/source';
import type {
  GetSchemaRequest,
  SchemaColumn,
  TestSourceResult,
} from '../../lib/prequel/contract/source-actions';
import { unprocessable } from '../http/api-error';
import { connectMysql } from './mysql/connect';
import { mysqlProbe } from './mysql/mysql-probe';
import { mysqlQuerySchema, mysqlTableSchema } from './mysql/mysql-schema';
import { listMysqlTables } from './mysql/mysql-tables';
import { connectPostgres } from './postgres/connect';
import { postgresProbe } from './postgres/postgres-probe';
import { postgresQuerySchema, postgresTableSchema } from './postgres/postgres-schema';
import { listPostgresTables } from './postgres/postgres-tables';
import type { DatabaseConnection, DatabaseVendor, HostPolicyContext } from './source-target';
import type { TablePage, TablePageRequest } from './table-page';
import { testConnection } from './test-connection';
import type { VendorProbe } from './vendor-probe';

export interface DatabaseSource {
  vendor: DatabaseVendor;
  connection: DatabaseConnection;
}

/** Catalog reads are cheap; a slow one means a struggling server, not a big database. */
const CATALOG_TIMEOUT_MS = 30_000;
export const GET_SCHEMA_QUERY_TIMEOUT_MS = 10_000;

interface VendorOps<Session> {
  probe: VendorProbe<Session>;
  connect(
    connection: DatabaseConnection,
    engine: HostPolicyContext,
    options: { statementTimeoutMs: number },
  ): Promise<Session>;
  close(session: Session): Promise<void>;
  tableSchema(
    session: Session,
    table: { namespace: string; name: string },
  ): Promise<SchemaColumn[]>;
  querySchema(session: Session, query: string, timeoutMs: number): Promise<SchemaColumn[]>;
  listTables(session: Session, request: TablePageRequest): Promise<TablePage>;
}

const postgres: VendorOps<Awaited<ReturnType<typeof connectPostgres>>> = {
  probe: postgresProbe,
  connect: connectPostgres,
  close: (client) => client.end().catch(() => {}),
  tableSchema: postgresTableSchema,
  querySchema: postgresQuerySchema,
  listTables: listPostgresTables,
};

const mysql: VendorOps<Awaited<ReturnType<typeof connectMysql>>> = {
  probe: mysqlProbe,
  connect: connectMysql,
  close: (connection) => connection.end().catch(() => connection.destroy()),
  tableSchema: mysqlTableSchema,
  querySchema: mysqlQuerySchema,
  listTables: listMysqlTables,
};

function withVendor<T>(vendor: DatabaseVendor, apply: <Session>(ops: VendorOps<Session>) => T): T {
  return vendor === 'postgres' ? apply(postgres) : apply(mysql);
}

/** The database block of a source this engine can read, or a 422 naming what it cannot do. */
export function requireDatabaseSource(source: SourceCreate, pathPrefix = 'source'): DatabaseSource {
  if (source.vendor !== 'postgres' && source.vendor !== 'mysql') {
    throw unprocessable(
      'vendor_not_supported',
      `This engine cannot read ${source.vendor} sources yet; it reads ` +
        `${READABLE_VENDORS.join(' and ')}. Use the hosted Prequel API for ${source.vendor}.`,
      [{ path: `${pathPrefix}.vendor`, message: 'is not supported by this engine' }],
    );
  }
  const connection = source.vendor === 'postgres' ? source.postgres : source.mysql;
  if (connection.use_ssh_tunnel) {
    throw unprocessable(
      'ssh_tunnel_not_supported',
      'This engine does not open SSH tunnels yet: connect directly and unset use_ssh_tunnel.',
      [
        {
          path: `${pathPrefix}.${source.vendor}.use_ssh_tunnel`,
          message: 'is not supported by this engine',
        },
      ],
    );
  }
  return { vendor: source.vendor, connection };
}

export function testDatabaseSource(
  source: DatabaseSource,
  engine: HostPolicyContext,
): Promise<TestSourceResult> {
  return withVendor(source.vendor, (ops) =>
    testConnection(source.vendor, source.connection, ops.probe, engine),
  );
}

async function withSession<T>(
  source: DatabaseSource,
  engine: HostPolicyContext,
  work: <Session>(ops: VendorOps<Session>, session: Session) => Promise<T>,
): Promise<T> {
  return withVendor(source.vendor, async (ops) => {
    const session = await ops.connect(source.connection, engine, {
      statementTimeoutMs: CATALOG_TIMEOUT_MS,
    });
    try {
      return await work(ops, session);
    } finally {
      await ops.close(session);
    }
  });
}

export function readSchema(
  source: DatabaseSource,
  engine: HostPolicyContext,
  request: GetSchemaRequest,
  queryTimeoutMs = GET_SCHEMA_QUERY_TIMEOUT_MS,
): Promise<SchemaColumn[]> {
  if (request.method === 'glob') {
    throw unprocessable(
      'method_not_supported',
      `Glob datasets read files from object storage (s3, gcs, abs or sftp sources); this is a ` +
        `${source.vendor} source: use the table or sql method.`,
      [{ path: 'method', message: `is not available for ${source.vendor} sources` }],
    );
  }
  return withSession(source, engine, (ops, session) =>
    request.method === 'table'
      ? ops.tableSchema(session, {
          namespace: request.table.source_table_namespace,
          name: request.table.source_table_name,
        })
      : ops.querySchema(session, request.sql.query, queryTimeoutMs),
  );
}

export function listTables(
  source: DatabaseSource,
  engine: HostPolicyContext,
  request: TablePageRequest,
): Promise<TablePage> {
  return withSession(source, engine, (ops, session) => ops.listTables(session, request));
}
