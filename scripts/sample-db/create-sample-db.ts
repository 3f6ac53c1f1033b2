// Creates the realistic sample source database (customers, accounts, orders, events) at any size,
// deterministically.
import { z } from 'zod';
import { loadMysql } from './load-mysql';
import { loadPostgres } from './load-postgres';
import { SampleDbError } from './sample-db-error';
import { planSample } from './sample-plan';
import type { RowCounts } from './sample-tables';
import { DEFAULT_SCHEMA, withPostgresClients, type SampleTarget } from './sample-target';
import { microsOf } from './timestamps';

export const DEFAULT_SEED = 42;
export const DEFAULT_BASE_TIME = new Date('2026-01-01T00:00:00Z');

const count = z.number().int().nonnegative();
const perCustomer = z.number().nonnegative().max(1000);

export const sampleOptionsSchema = z.object({
  /** Postgres only; created if missing. */
  schema: z.string().min(1).max(63).default(DEFAULT_SCHEMA),
  customers: count.max(100_000_000),
  /** Averages: totals are round(customers × average), spread unevenly over customers. */
  accountsPerCustomer: perCustomer.default(1.5),
  ordersPerCustomer: perCustomer.default(4),
  eventsPerCustomer: perCustomer.default(10),
  /** Same seed, same options → byte-identical tables. */
  seed: z
    .number()
    .int()
    .refine(Number.isSafeInteger, 'seed must be a safe integer')
    .default(DEFAULT_SEED),
  /** Every generated timestamp is before this instant. */
  baseTime: z
    .date()
    .refine((date) => !Number.isNaN(date.getTime()), 'baseTime must be a valid date')
    .default(DEFAULT_BASE_TIME),
  /** Replace the four sample tables if they exist; otherwise their presence is an error. */
  dropExisting: z.boolean().default(false),
});

export type SampleOptions = z.input<typeof sampleOptionsSchema>;

export async function createSampleDatabase(
  target: SampleTarget,
  options: SampleOptions,
): Promise<RowCounts> {
  const parsed = sampleOptionsSchema.safeParse(options);
  if (!parsed.success)
    throw new SampleDbError(`Invalid sample options: ${z.prettifyError(parsed.error)}`);
  const { schema, dropExisting, baseTime, ...sizes } = parsed.data;
  const plan = planSample({ ...sizes, endMicros: microsOf(baseTime) });
  // Two connections when the target is a pool: see load-postgres.ts for why two and not more.
  if (target.dialect === 'postgres')
    await withPostgresClients(target.client, 2, (clients) =>
      loadPostgres(clients, schema, plan, dropExisting),
    );
  else await loadMysql(target.connection, plan, dropExisting);
  return plan.counts;
}
