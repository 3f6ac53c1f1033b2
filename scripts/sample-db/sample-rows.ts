// Which generator fills which table: the one place both loaders look rows up.
import { accountRows, customerRows } from './dimension-rows';
import { eventRows, orderRows } from './fact-rows';
import type { SamplePlan } from './sample-plan';
import type { Cells, SampleTableName } from './sample-tables';

export const rowsOf: Record<SampleTableName, (plan: SamplePlan) => Iterable<Cells>> = {
  customers: customerRows,
  accounts: accountRows,
  orders: orderRows,
  events: eventRows,
};
