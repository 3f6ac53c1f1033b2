// Rows of the dimension tables (customers, accounts): updated in place, so they carry updated_at
// with ties.
import { Prng } from './prng';
import { customersSignedUpBy, slotMicros, type SamplePlan } from './sample-plan';
import type { Cells } from './sample-tables';
import {
  ACCOUNT_STATUSES,
  BEYOND_2_53,
  COUNTRIES,
  CURRENCIES,
  PLANS,
  accountName,
  attributes,
  formatMinor,
  lifetimeValue,
  notes,
  person,
} from './sample-values';
import { createMicrosFormatter } from './timestamps';

/** Rows share updated_at in groups of 1–5 (about 3): a batch job touched them in one statement. */
const MAX_TIE_GROUP = 5;

export function* customerRows(plan: SamplePlan): Generator<Cells> {
  const rng = new Prng(plan.seed, 'customers');
  const total = plan.counts.customers;
  const { signupStartMicros: start, signupIntervalMicros: interval, endMicros: end } = plan;
  const formatSignup = createMicrosFormatter();
  const formatUpdated = createMicrosFormatter();
  let id = 1;
  while (id <= total) {
    const last = Math.min(total, id + rng.between(1, MAX_TIE_GROUP) - 1);
    const groupSize = last - id + 1;
    // Not before the last member's latest possible signup, so updated_at >= signup_at for the whole
    // group.
    const lower = Math.min(end - 1, Math.floor(start + last * interval));
    const groupUpdated = lower + rng.int(end - lower);
    for (; id <= last; id++) {
      const signup = Math.floor(start + (id - 1 + rng.next()) * interval);
      const neverUpdated = groupSize === 1 && rng.chance(0.4);
      const signupAt = rng.chance(0.003) ? null : formatSignup(signup);
      yield customerCells(
        rng,
        id,
        signupAt,
        formatUpdated(neverUpdated ? signup : groupUpdated),
        rng.chance(0.02),
      );
    }
  }
}

/**
 * Time columns come from the caller: the sample's timeline, or the database's clock in
 * simulate-changes.
 */
export function customerCells(
  rng: Prng,
  id: number,
  signupAt: string | null,
  updatedAt: string,
  isDeleted: boolean,
): Cells {
  const { fullName, email } = person(rng, id);
  return [
    String(id),
    email,
    fullName,
    rng.chance(0.01) ? null : COUNTRIES.pick(rng),
    PLANS.pick(rng),
    signupAt,
    updatedAt,
    isDeleted ? 't' : 'f',
    notes(rng),
    lifetimeValue(rng),
    // Odd numbers from 2^53 + 1 on: none of them survives a trip through a JS number.
    rng.chance(0.05) ? null : String(BEYOND_2_53 + BigInt(2 * (id - 1))),
    attributes(rng, id),
  ];
}

export function* accountRows(plan: SamplePlan): Generator<Cells> {
  const rng = new Prng(plan.seed, 'accounts');
  const total = plan.counts.accounts;
  // Opened from the first signup on; ids follow creation time like a real sequence.
  const start = Math.floor(plan.signupStartMicros + plan.signupIntervalMicros);
  const end = plan.endMicros;
  const formatCreated = createMicrosFormatter();
  const formatUpdated = createMicrosFormatter();
  const created: number[] = [];
  let index = 0;
  while (index < total) {
    const groupSize = Math.min(total - index, rng.between(1, MAX_TIE_GROUP));
    created.length = 0;
    for (let i = 0; i < groupSize; i++)
      created.push(slotMicros(start, end, index + i, total, rng.next()));
    const lower = created[groupSize - 1]!;
    const groupUpdated = lower + rng.int(end - lower);
    for (const createdMicros of created) {
      index++;
      const signedUp = customersSignedUpBy(plan, createdMicros);
      // Mostly opened soon after the customer's signup, with a long tail of older customers.
      const customerId = signedUp - Math.floor(signedUp * rng.next() ** 3);
      const updated = groupSize === 1 && rng.chance(0.4) ? createdMicros : groupUpdated;
      const updatedAt = formatUpdated(updated);
      const closed = rng.chance(0.05);
      yield accountCells(
        rng,
        index,
        customerId,
        formatCreated(createdMicros),
        updatedAt,
        closed ? updatedAt : null,
        closed ? 'closed' : ACCOUNT_STATUSES.pick(rng),
      );
    }
  }
}

export function accountCells(
  rng: Prng,
  id: number,
  customerId: number | string,
  createdAt: string,
  updatedAt: string,
  closedAt: string | null,
  status: string,
): Cells {
  const balanceMinor = rng.chance(0.1) ? 0 : rng.between(-5_000_000, 5_000_000_000);
  return [
    String(id),
    String(customerId),
    accountName(rng),
    formatMinor(balanceMinor, 4),
    CURRENCIES.pick(rng),
    status,
    createdAt,
    updatedAt,
    closedAt,
  ];
}
