import { describe, expect, test } from 'vitest';
import {
  afterCursor,
  mysqlDialect,
  postgresDialect,
  readModeOf,
  upToBoundary,
  where,
} from './read-plan';

const incremental = {
  kind: 'incremental',
  orderColumn: 'updated_at',
  pkColumn: 'id',
  isFact: false,
} as const;

describe('the read plan', () => {
  test('picks the mode from the dataset', () => {
    const base = {
      source_id: 's',
      frequency_minutes: 60,
      method: 'table' as const,
      table: { source_table_namespace: 'public', source_table_name: 't' },
    };
    expect(
      readModeOf({
        ...base,
        type: 'dimension',
        dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
      }),
    ).toMatchObject({ kind: 'incremental', isFact: false });
    expect(
      readModeOf({ ...base, type: 'dimension', dimension: { primary_key_column: 'id' } }),
    ).toEqual({ kind: 'full', pkColumn: 'id' });
    expect(
      readModeOf({
        ...base,
        type: 'fact',
        fact: { primary_key_column: 'id', created_at_column: 'ts' },
      }),
    ).toMatchObject({ kind: 'incremental', orderColumn: 'ts', isFact: true });
    expect(
      readModeOf({
        ...base,
        method: 'sql',
        sql: { query: 'select 1' },
        type: 'dimension',
        dimension: { primary_key_column: 'id' },
      }),
    ).toMatchObject({ kind: 'query' });
  });

  test('resumes strictly after the (order, key) tuple, as a row comparison in Postgres', () => {
    expect(
      afterCursor(
        incremental,
        { order: '2026-01-01 00:00:00.000001+00', pk: '7' },
        postgresDialect,
      ),
    ).toBe(`("updated_at", "id") > ('2026-01-01 00:00:00.000001+00', '7')`);
    expect(afterCursor(incremental, { order: '2026-01-01', pk: '7' }, mysqlDialect)).toBe(
      "(`updated_at` > '2026-01-01' or (`updated_at` = '2026-01-01' and `id` > '7'))",
    );
  });

  test('resumes inclusively at a lag-capped position', () => {
    expect(afterCursor(incremental, { order: '2026-01-01', pk: null }, postgresDialect)).toBe(
      `"updated_at" >= '2026-01-01'`,
    );
    expect(afterCursor(incremental, null, postgresDialect)).toBeNull();
  });

  test('quotes identifiers and values so data cannot become SQL', () => {
    const hostile = { kind: 'full', pkColumn: 'i"d' } as const;
    expect(afterCursor(hostile, { pk: `7'); drop table t; --` }, postgresDialect)).toBe(
      `"i""d" > '7''); drop table t; --'`,
    );
    expect(afterCursor({ kind: 'full', pkColumn: 'i`d' }, { pk: `a\\'b` }, mysqlDialect)).toBe(
      "`i``d` > 'a\\\\''b'",
    );
  });

  test('bounds a chunk by its last tuple', () => {
    expect(upToBoundary(incremental, { order: 'x', pk: '9' }, postgresDialect)).toBe(
      `("updated_at", "id") <= ('x', '9')`,
    );
    expect(where(null, 'a', null, 'b')).toBe('where a and b');
    expect(where(null)).toBe('');
  });
});
