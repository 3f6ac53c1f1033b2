// The benchmarks' Postgres: an embedded server in a scratch directory, a `source` database with the
// sample customers and an empty `engine` database. close() stops the server and removes the
// directory.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../lib/embedded-postgres';
import { createSampleDatabase } from '../sample-db/create-sample-db';

export interface BenchDatabases {
  /** A directory of the run's own (Postgres's data is under `pg/`), removed by close(). */
  scratch: string;
  postgresDataDir: string;
  sourceUrl: string;
  engineUrl: string;
  /** Connected to the source database until close(). */
  source: pg.Client;
  /** The ids of the customers that are not soft-deleted. */
  liveIds(): Promise<string[]>;
  close(): Promise<void>;
}

export const benchLog = (message: string) => process.stderr.write(`${message}\n`);

export async function openBenchDatabases(options: { customers: number }): Promise<BenchDatabases> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'inlet-bench-'));
  // The embedded Postgres runs as its own OS user, who must be able to enter this directory.
  chmodSync(scratch, 0o755);
  const postgresDataDir = path.join(scratch, 'pg');
  const server = await startEmbeddedPostgres({ dataDir: postgresDataDir, ephemeral: true });
  const source = new pg.Client(server.urlFor('source'));
  const close = async () => {
    await source.end().catch(() => {});
    await server.stop().catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await server.createDatabase('source');
    await server.createDatabase('engine');
    await source.connect();
    benchLog(`Building ${options.customers.toLocaleString()} customers…`);
    await createSampleDatabase(
      { dialect: 'postgres', client: source },
      {
        customers: options.customers,
        accountsPerCustomer: 0,
        ordersPerCustomer: 0,
        eventsPerCustomer: 0,
      },
    );
  } catch (error) {
    await close();
    throw error;
  }
  return {
    scratch,
    postgresDataDir,
    sourceUrl: server.urlFor('source'),
    engineUrl: server.urlFor('engine'),
    source,
    liveIds: async () =>
      (
        await source.query<{ id: string }>('select id::text from customers where not is_deleted')
      ).rows.map((row) => row.id),
    close,
  };
}
