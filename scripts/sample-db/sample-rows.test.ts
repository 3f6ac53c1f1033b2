import { describe, expect, it } from 'vitest';
import { planSample, type PlanInput } from './sample-plan';
import { rowsOf } from './sample-rows';
import { sampleTables } from './sample-tables';

const input: PlanInput = {
  seed: 42,
  endMicros: Date.UTC(2026, 0, 1) * 1000,
  customers: 200,
  accountsPerCustomer: 1.5,
  ordersPerCustomer: 4,
  eventsPerCustomer: 10,
};
const rows = (overrides: Partial<PlanInput>, table: (typeof sampleTables)[number]['name']) => [
  ...rowsOf[table](planSample({ ...input, ...overrides })),
];

describe('sample rows', () => {
  it('are the same for the same seed and differ for another', () => {
    for (const { name } of sampleTables) {
      expect(rows({}, name)).toEqual(rows({}, name));
      expect(rows({ seed: 43 }, name)).not.toEqual(rows({}, name));
    }
  });

  it('of one table do not shift when another table grows', () => {
    expect(rows({ eventsPerCustomer: 50, ordersPerCustomer: 1 }, 'customers')).toEqual(
      rows({}, 'customers'),
    );
    expect(rows({ eventsPerCustomer: 50 }, 'orders')).toEqual(rows({}, 'orders'));
  });

  it('have one cell per column, ids 1..n, and customer ids that exist', () => {
    for (const table of sampleTables) {
      const generated = rows({}, table.name);
      expect(generated.map((cells) => cells[0])).toEqual(generated.map((_, i) => String(i + 1)));
      for (const cells of generated) expect(cells).toHaveLength(table.columns.length);
      const customerColumn = table.columns.findIndex((column) => column.name === 'customer_id');
      if (customerColumn >= 0)
        for (const cells of generated)
          expect(Number(cells[customerColumn])).toBeGreaterThanOrEqual(1);
      if (customerColumn >= 0)
        for (const cells of generated)
          expect(Number(cells[customerColumn])).toBeLessThanOrEqual(input.customers);
    }
  });
});
