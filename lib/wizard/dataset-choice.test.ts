import { describe, expect, test } from 'vitest';
import type { SourceTable } from '@/lib/prequel/contract/source-actions';
import {
  datasetFromTable,
  describeTracking,
  importedTables,
  stillImporting,
  tableOfDataset,
} from './dataset-choice';

const table = (overrides: Partial<SourceTable> = {}): SourceTable => ({
  namespace: 'public',
  name: 'customers',
  estimated_rows: 1000,
  primary_key: ['id'],
  candidate_last_modified_columns: ['updated_at'],
  candidate_created_at_columns: ['signup_at'],
  candidate_is_deleted_columns: ['is_deleted'],
  suggested_type: 'dimension',
  readiness: 'ready',
  ...overrides,
});
const source = '01a2178b-bf47-7884-85ba-524011db0128';

describe('a picked table', () => {
  test('becomes a dimension tracked by its last-modified and soft-delete columns', () => {
    expect(datasetFromTable(source, table(), 60)).toEqual({
      name: 'customers',
      source_id: source,
      frequency_minutes: 60,
      method: 'table',
      table: { source_table_namespace: 'public', source_table_name: 'customers' },
      type: 'dimension',
      dimension: {
        primary_key_column: 'id',
        last_modified_column: 'updated_at',
        is_deleted_column: 'is_deleted',
      },
    });
    expect(describeTracking(table())).toBe('Changes by updated_at');
  });

  test('becomes an append-only fact when it looks like events', () => {
    const events = table({
      name: 'events',
      namespace: 'app',
      suggested_type: 'fact',
      candidate_created_at_columns: ['occurred_at'],
    });
    expect(datasetFromTable(source, events, 15)).toMatchObject({
      name: 'app.events',
      type: 'fact',
      fact: { primary_key_column: 'id', created_at_column: 'occurred_at' },
    });
    expect(describeTracking(events)).toBe('New rows by occurred_at');
  });

  test('without a single-column key or read access cannot be imported as a table', () => {
    expect(
      datasetFromTable(source, table({ primary_key: [], readiness: 'no_primary_key' }), 60),
    ).toBeNull();
    expect(datasetFromTable(source, table({ primary_key: ['a', 'b'] }), 60)).toBeNull();
    expect(datasetFromTable(source, table({ readiness: 'no_select_privilege' }), 60)).toBeNull();
  });

  test('without change-tracking columns is read in full and compared by content', () => {
    const plain = table({ candidate_last_modified_columns: [], candidate_is_deleted_columns: [] });
    expect(datasetFromTable(source, plain, 60)).toMatchObject({
      dimension: { primary_key_column: 'id' },
    });
    expect(describeTracking(plain)).toBe('Full read each run, compared by content');
  });
});

describe('tables already imported', () => {
  test('are the tables the datasets read, a query reading none', () => {
    const datasets = [
      {
        method: 'table',
        table: { source_table_namespace: 'public', source_table_name: 'customers' },
      },
      {
        method: 'table',
        table: { source_table_namespace: 'sales', source_table_name: 'orders' },
      },
      { method: 'sql', sql: { query: 'select * from public.plans' } },
    ];
    const tables = datasets.map((dataset) => ({ table: tableOfDataset(dataset) }));
    expect(tables[2]!.table).toBeNull();
    expect(importedTables(tables)).toEqual(new Set(['public.customers', 'sales.orders']));
  });
});

describe('"Importing…" after an import starts', () => {
  const row = (id: string, status: string | null) => ({
    id,
    latestExtract: status ? { status } : null,
  });

  test('lasts while a dataset it started is not listed yet, or its extract has not finished', () => {
    expect(stillImporting(['a'], [])).toBe(true);
    expect(stillImporting(['a'], [row('a', null)])).toBe(true);
    expect(stillImporting(['a', 'b'], [row('a', 'succeeded'), row('b', 'running')])).toBe(true);
  });

  test('ends once every extract it started has finished, whatever the outcome', () => {
    expect(stillImporting(['a', 'b'], [row('a', 'succeeded'), row('b', 'failed')])).toBe(false);
    expect(stillImporting([], [row('a', 'running')])).toBe(false);
  });
});
