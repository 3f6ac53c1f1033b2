// Schema drift for the demo: rename a column of a sample table, as a customer's migration would.
import { z } from 'zod';
import { SampleDbError } from './sample-db-error';
import { inSampleTransaction } from './sample-session';
import { sampleTables, type SampleTableName } from './sample-tables';
import { DEFAULT_SCHEMA, type SampleTarget } from './sample-target';
import { quoteMysql, quotePostgres } from './sql-identifiers';
import { raw, sql } from './sql-fragment';

const identifier = z.string().min(1).max(63);

export async function renameColumn(
  target: SampleTarget,
  table: SampleTableName,
  from: string,
  to: string,
  options: { schema?: string } = {},
): Promise<void> {
  if (!sampleTables.some((sample) => sample.name === table))
    throw new SampleDbError(`Not a sample table: ${table}`);
  if (!identifier.safeParse(from).success || !identifier.safeParse(to).success)
    throw new SampleDbError('Column names must be 1 to 63 characters.');
  const quote = target.dialect === 'postgres' ? quotePostgres : quoteMysql;
  await inSampleTransaction(target, options.schema ?? DEFAULT_SCHEMA, async (session) => {
    // Both dialects spell it the same; MySQL commits DDL implicitly, Postgres makes it part of the
    // transaction.
    await session.query(
      sql`ALTER TABLE ${session.table(table)}
        RENAME COLUMN ${raw(quote(from))} TO ${raw(quote(to))}`,
    );
  });
}
