// Realistic writes to a sample database in one transaction (inserts, updates, soft and hard
// deletes), reporting exactly which ids changed so incremental-extract tests can assert exactness.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { accountCells, customerCells } from './dimension-rows';
import { eventCells, orderCells } from './fact-rows';
import { pickLiveIds } from './pick-live-ids';
import { Prng } from './prng';
import { SampleDbError } from './sample-db-error';
import { inSampleTransaction, type SampleSession } from './sample-session';
import {
  accountsTable,
  customersTable,
  eventsTable,
  ordersTable,
  type SampleTableName,
} from './sample-tables';
import type { SampleTarget } from './sample-target';
import {
  ACCOUNT_STATUSES,
  PLANS,
  attributes,
  formatMinor,
  lifetimeValue,
  notes,
} from './sample-values';
import { integerLiteral, join, raw, sql } from './sql-fragment';

const count = z.number().int().nonnegative().max(1_000_000);

export const changeOptionsSchema = z.object({
  /** Postgres only (default public). */
  schema: z.string().min(1).max(63).optional(),
  /**
   * New customers; each gets one account, and as many orders and twice as many events go to new and
   * updated customers. All rows inserted by one call share one database timestamp, like a bulk
   * import in one transaction: `{ inserts: 20_000 }` is the "tie storm" of the extract tests.
   */
  inserts: count,
  /** Customers updated, and as many open accounts; updated_at moves to the database's clock. */
  updates: count,
  softDeletes: count,
  /**
   * Customers deleted for good, with their accounts (orders and events stay, like an append-only
   * log).
   */
  hardDeletes: count.default(0),
  /**
   * Same seed on the same database state → same changes. Omitted: different changes on every call.
   */
  seed: z.number().int().refine(Number.isSafeInteger, 'seed must be a safe integer').optional(),
  /**
   * Timestamps always come from the database's clock, never this process's: the clocks may
   * disagree.
   */
  now: z.literal('database').default('database'),
});

export type ChangeOptions = z.input<typeof changeOptionsSchema>;

/** Ids as decimal strings (bigint-safe), ascending. */
export interface TouchedIds {
  inserted: Record<SampleTableName, string[]>;
  updated: { customers: string[]; accounts: string[] };
  softDeleted: { customers: string[] };
  hardDeleted: { customers: string[]; accounts: string[] };
}

export async function simulateChanges(
  target: SampleTarget,
  options: ChangeOptions,
): Promise<TouchedIds> {
  const parsed = changeOptionsSchema.safeParse(options);
  if (!parsed.success)
    throw new SampleDbError(`Invalid change options: ${z.prettifyError(parsed.error)}`);
  const { schema, inserts, updates, softDeletes, hardDeletes, seed } = parsed.data;
  const rng = new Prng(seed ?? randomInt(2 ** 47), 'changes');

  return inSampleTransaction(target, schema, async (session) => {
    await session.lockForChanges();
    const maxIds = await maxIdsOf(session);
    // Disjoint sets, so every returned id changed in exactly the way its list says.
    const picked = await pickLiveIds(
      session,
      rng,
      'customers',
      maxIds.customers,
      hardDeletes + softDeletes + updates,
      raw('NOT is_deleted'),
    );
    const hard = picked.slice(0, hardDeletes);
    const soft = picked.slice(hardDeletes, hardDeletes + softDeletes);
    const updated = picked.slice(hardDeletes + softDeletes);

    const hardDeletedAccounts = await hardDeleteCustomers(session, hard);
    await softDeleteCustomers(session, soft);
    for (const id of updated) await updateCustomer(session, rng, id);
    // Picked after the hard deletes, so no account is both updated and deleted.
    const accounts = await pickLiveIds(
      session,
      rng,
      'accounts',
      maxIds.accounts,
      updates,
      raw('closed_at IS NULL'),
    );
    for (const id of accounts) await updateAccount(session, rng, id);
    const inserted = await insertRows(session, rng, maxIds, inserts, updated);

    return {
      inserted,
      updated: { customers: ascending(updated), accounts: ascending(accounts) },
      softDeleted: { customers: ascending(soft) },
      hardDeleted: { customers: ascending(hard), accounts: hardDeletedAccounts },
    };
  });
}

async function maxIdsOf(session: SampleSession): Promise<Record<SampleTableName, bigint>> {
  const max = (name: SampleTableName) =>
    sql`(SELECT COALESCE(MAX(id), 0) FROM ${session.table(name)}) AS ${raw(name)}`;
  const [row] = await session.query(
    sql`SELECT ${join([max('customers'), max('accounts'), max('orders'), max('events')], ', ')}`,
  );
  if (!row) throw new Error('max(id) query returned no row');
  return {
    customers: BigInt(row.customers ?? 0),
    accounts: BigInt(row.accounts ?? 0),
    orders: BigInt(row.orders ?? 0),
    events: BigInt(row.events ?? 0),
  };
}

const idList = (ids: readonly string[]) => join(ids.map(integerLiteral), ', ');

async function hardDeleteCustomers(
  session: SampleSession,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const accounts = await session.query(
    sql`SELECT id FROM ${session.table('accounts')} WHERE customer_id IN (${idList(ids)})
      ORDER BY id`,
  );
  await session.query(
    sql`DELETE FROM ${session.table('accounts')} WHERE customer_id IN (${idList(ids)})`,
  );
  await session.query(sql`DELETE FROM ${session.table('customers')} WHERE id IN (${idList(ids)})`);
  return accounts.map((row) => row.id!);
}

async function softDeleteCustomers(session: SampleSession, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await session.query(
    sql`UPDATE ${session.table('customers')} SET is_deleted = TRUE, updated_at = ${session.now}
      WHERE id IN (${idList(ids)})`,
  );
}

async function updateCustomer(session: SampleSession, rng: Prng, id: string): Promise<void> {
  // What a product actually changes: plan, notes, value, settings; now and then someone retypes
  // their e-mail in capitals.
  const email = rng.chance(0.1) ? raw('UPPER(email)') : raw('email');
  await session.query(sql`UPDATE ${session.table('customers')}
    SET plan = ${PLANS.pick(rng)}, notes = ${notes(rng)}, lifetime_value = ${lifetimeValue(rng)},
    attributes = ${attributes(rng, Number(id))}, email = ${email}, updated_at = ${session.now}
      WHERE id = ${integerLiteral(id)}`);
}

async function updateAccount(session: SampleSession, rng: Prng, id: string): Promise<void> {
  const balance = formatMinor(rng.between(-5_000_000, 5_000_000_000), 4);
  const closing = rng.chance(0.05);
  const status = closing ? 'closed' : ACCOUNT_STATUSES.pick(rng);
  await session.query(
    sql`UPDATE ${session.table('accounts')}
      SET balance = ${balance}, status = ${status}, updated_at = ${session.now}
      WHERE id = ${integerLiteral(id)}`,
  );
  // A second statement, so closed_at equals updated_at exactly (the clock is read per statement).
  if (closing)
    await session.query(
      sql`UPDATE ${session.table('accounts')} SET closed_at = updated_at
        WHERE id = ${integerLiteral(id)}`,
    );
}

async function insertRows(
  session: SampleSession,
  rng: Prng,
  maxIds: Record<SampleTableName, bigint>,
  count: number,
  active: readonly string[],
): Promise<TouchedIds['inserted']> {
  const nextIds = (table: SampleTableName, n: number) =>
    Array.from({ length: n }, (_, i) => String(maxIds[table] + BigInt(i + 1)));
  const customers = nextIds('customers', count);
  const accounts = nextIds('accounts', count);
  const orders = nextIds('orders', count);
  const events = nextIds('events', 2 * count);
  if (count === 0) return { customers, accounts, orders, events };
  // Read once, in the database's own text form (exact µs, with its zone in Postgres), and written
  // back as is.
  const [clock] = await session.query(sql`SELECT ${session.now} AS now`);
  const now = clock!.now!;
  await session.insert(
    customersTable,
    customers.map((id) => customerCells(rng, Number(id), now, now, false)),
  );
  await session.insert(
    accountsTable,
    accounts.map((id, i) => accountCells(rng, Number(id), customers[i]!, now, now, null, 'active')),
  );
  const buyers = [...customers, ...active];
  await session.insert(
    ordersTable,
    orders.map((id) => orderCells(rng, Number(id), rng.pick(buyers), now)),
  );
  await session.insert(
    eventsTable,
    events.map((id) => eventCells(rng, Number(id), rng.pick(buyers), now)),
  );
  return { customers, accounts, orders, events };
}

function ascending(ids: readonly string[]): string[] {
  return [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
}
