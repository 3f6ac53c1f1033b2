// Rows of the fact tables (orders, events): append-only, ordered by created_at / occurred_at.
import { Prng } from './prng';
import { customersSignedUpBy, slotMicros, type SamplePlan } from './sample-plan';
import type { Cells } from './sample-tables';
import {
  CURRENCIES,
  EVENT_TYPES,
  ORDER_STATUSES,
  eventPayload,
  formatMinor,
  orderItems,
} from './sample-values';
import { MICROS_PER_SECOND, createMicrosFormatter } from './timestamps';

export function* orderRows(plan: SamplePlan): Generator<Cells> {
  const rng = new Prng(plan.seed, 'orders');
  const total = plan.counts.orders;
  const format = createMicrosFormatter();
  let previous = plan.ordersStartMicros;
  for (let index = 0; index < total; index++) {
    // A few orders share their created_at to the µs (imported in one statement): ties on the fact
    // cursor too.
    const created =
      index > 0 && rng.chance(0.04)
        ? previous
        : slotMicros(plan.ordersStartMicros, plan.endMicros, index, total, rng.next());
    previous = created;
    const customerId = 1 + rng.int(customersSignedUpBy(plan, created));
    yield orderCells(rng, index + 1, customerId, format(created));
  }
}

export function orderCells(
  rng: Prng,
  id: number,
  customerId: number | string,
  createdAt: string,
): Cells {
  const items = orderItems(rng);
  return [
    String(id),
    String(customerId),
    createdAt,
    formatMinor(items.totalCents, 2),
    CURRENCIES.pick(rng),
    items.json,
    ORDER_STATUSES.pick(rng),
  ];
}

export function* eventRows(plan: SamplePlan): Generator<Cells> {
  const rng = new Prng(plan.seed, 'events');
  const total = plan.counts.events;
  const format = createMicrosFormatter();
  let previous = plan.eventsStartMicros;
  for (let index = 0; index < total; index++) {
    const received = slotMicros(plan.eventsStartMicros, plan.endMicros, index, total, rng.next());
    // Devices report late: ids follow arrival, occurred_at lags it by up to seconds, sometimes
    // hours.
    const lagRoll = rng.next();
    const lag =
      lagRoll < 0.9
        ? rng.int(2 * MICROS_PER_SECOND)
        : lagRoll < 0.99
          ? rng.int(300 * MICROS_PER_SECOND)
          : rng.int(6 * 3600 * MICROS_PER_SECOND);
    const occurred = index > 0 && rng.chance(0.03) ? previous : received - lag;
    previous = occurred;
    const customerId = 1 + rng.int(customersSignedUpBy(plan, occurred));
    yield eventCells(rng, index + 1, customerId, format(occurred));
  }
}

export function eventCells(
  rng: Prng,
  id: number,
  customerId: number | string,
  occurredAt: string,
): Cells {
  const type = EVENT_TYPES.pick(rng);
  return [String(id), String(customerId), occurredAt, type, eventPayload(rng, type)];
}
