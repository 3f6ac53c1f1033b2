// Pure: how many rows each table gets and when things happen, so every generator agrees on one
// timeline.
import type { RowCounts } from './sample-tables';
import { MICROS_PER_DAY } from './timestamps';

export interface SamplePlan {
  seed: number;
  counts: RowCounts;
  /** Nothing in the sample happens at or after this instant (µs since the epoch). */
  endMicros: number;
  /** Customers sign up evenly over the three years before the end. */
  signupStartMicros: number;
  signupIntervalMicros: number;
  ordersStartMicros: number;
  eventsStartMicros: number;
}

export interface PlanInput {
  seed: number;
  endMicros: number;
  customers: number;
  accountsPerCustomer: number;
  ordersPerCustomer: number;
  eventsPerCustomer: number;
}

export function planSample(input: PlanInput): SamplePlan {
  const { customers } = input;
  const signupStartMicros = input.endMicros - 3 * 365 * MICROS_PER_DAY;
  return {
    seed: input.seed,
    // Totals are exact (tests compare them); how they spread over customers is random.
    counts: {
      customers,
      accounts: Math.round(customers * input.accountsPerCustomer),
      orders: Math.round(customers * input.ordersPerCustomer),
      events: Math.round(customers * input.eventsPerCustomer),
    },
    endMicros: input.endMicros,
    signupStartMicros,
    signupIntervalMicros: customers > 0 ? (input.endMicros - signupStartMicros) / customers : 0,
    ordersStartMicros: input.endMicros - 2 * 365 * MICROS_PER_DAY,
    eventsStartMicros: input.endMicros - 90 * MICROS_PER_DAY,
  };
}

/**
 * Customer `id` signs up inside [signupStart + (id-1)·interval, signupStart + id·interval), so
 * every customer with an id up to the returned one had signed up by `micros`: rows that reference a
 * customer never predate it.
 */
export function customersSignedUpBy(plan: SamplePlan, micros: number): number {
  const signedUp = Math.floor((micros - plan.signupStartMicros) / plan.signupIntervalMicros);
  return Math.min(plan.counts.customers, Math.max(1, signedUp));
}

/**
 * The i-th (0-based) of `count` instants spread over [start, end): non-decreasing in i, jittered
 * inside its slot.
 */
export function slotMicros(
  start: number,
  end: number,
  index: number,
  count: number,
  jitter: number,
): number {
  return Math.floor(start + ((index + jitter) * (end - start)) / count);
}
