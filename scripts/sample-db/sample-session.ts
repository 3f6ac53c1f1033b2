// One transaction on the sample database, with the few operations simulate-changes needs in both
// dialects.
import { mysqlSession } from './mysql-session';
import { postgresSession } from './postgres-session';
import type { Cells, SampleTable, SampleTableName } from './sample-tables';
import { DEFAULT_SCHEMA, withPostgresClients, type SampleTarget } from './sample-target';
import type { Sql } from './sql-fragment';

/** Every value comes back as text (or null): bigints, numerics and µs timestamps stay exact. */
export type TextRow = Record<string, string | null>;

export interface SampleSession {
  query(statement: Sql): Promise<TextRow[]>;
  table(name: SampleTableName): Sql;
  /**
   * The database's clock when the statement runs, not when the transaction began (and never this
   * process's clock).
   */
  now: Sql;
  /** Multi-row INSERTs of generated cells. */
  insert(table: SampleTable, rows: readonly Cells[]): Promise<void>;
  /** Serializes writers that allocate ids from max(id) + 1. */
  lockForChanges(): Promise<void>;
}

/** What a dialect implements; callers only see SampleSession inside inSampleTransaction. */
export interface TransactionalSession extends SampleSession {
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export async function inSampleTransaction<T>(
  target: SampleTarget,
  schema: string | undefined,
  work: (session: SampleSession) => Promise<T>,
): Promise<T> {
  if (target.dialect === 'postgres') {
    return withPostgresClients(target.client, 1, ([client]) =>
      inTransaction(postgresSession(client!, schema ?? DEFAULT_SCHEMA), work),
    );
  }
  return inTransaction(mysqlSession(target.connection), work);
}

async function inTransaction<T>(
  session: TransactionalSession,
  work: (session: SampleSession) => Promise<T>,
): Promise<T> {
  await session.begin();
  try {
    const result = await work(session);
    await session.commit();
    return result;
  } catch (error) {
    await session.rollback().catch(() => {});
    throw error;
  }
}
