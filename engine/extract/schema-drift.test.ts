import { describe, expect, test } from 'vitest';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import type { Mapping } from '../../lib/prequel/contract/stream';
import {
  acknowledgeMappings,
  columnsReadBy,
  describeDrift,
  detectDrift,
  newProblems,
} from './schema-drift';

const column = (
  name: string,
  prequel_type: SchemaColumn['prequel_type'] = 'string',
  ordinal_position = 1,
): SchemaColumn => ({
  name,
  raw_type: prequel_type,
  prequel_type,
  ordinal_position,
  is_nullable: true,
});
const field = (target_field: string, name: string): Mapping => ({
  target_field,
  field_type: 'field',
  column: { name },
});
const expression = (target_field: string, expr: string): Mapping => ({
  target_field,
  field_type: 'expression',
  expression: { expr },
});

const before = [
  column('id', 'integer'),
  column('email'),
  column('plan'),
  column('score', 'integer'),
];
const users = {
  id: 'users',
  mappings: [
    field('id', 'id'),
    field('email', 'email'),
    expression('plan', 'upper(plan) + "-" + string(score)'),
  ],
};

describe('columnsReadBy', () => {
  test('field mappings read their column; expressions every name they use', () => {
    expect(Object.fromEntries(columnsReadBy(users.mappings))).toEqual({
      id: ['id'],
      email: ['email'],
      plan: ['plan'],
      score: ['plan'],
    });
  });
});

describe('detectDrift', () => {
  test('a rename: the mapped column is gone, the new one of the same type is named as its likely successor and offered as new', () => {
    const after = [
      column('id', 'integer'),
      column('email_address'),
      column('plan'),
      column('score', 'integer'),
    ];
    const drift = detectDrift(before, after, [users], null);
    expect(drift).toEqual({
      columns: [
        {
          name: 'email',
          change: 'removed',
          previous_type: 'string',
          current_type: null,
          renamed_to: 'email_address',
          streams: [{ stream_id: 'users', target_fields: ['email'] }],
        },
      ],
      new_columns: ['email_address'],
    });
    expect(describeDrift(drift!.columns[0]!, 'customers')).toBe(
      'The column "email" of customers, mapped to "email", disappeared (renamed to "email_address"?): the mapping needs a change. Remap that field to "email_address", or restore the column; deliveries wait until then.',
    );
  });

  test('a drop, read by an expression, names every field it feeds', () => {
    const drift = detectDrift(
      before,
      before.filter((candidate) => candidate.name !== 'score'),
      [users],
      null,
    );
    expect(drift?.columns).toEqual([
      {
        name: 'score',
        change: 'removed',
        previous_type: 'integer',
        current_type: null,
        renamed_to: null,
        streams: [{ stream_id: 'users', target_fields: ['plan'] }],
      },
    ]);
  });

  test('a type change is kept until the type is back, and says from what to what', () => {
    const retyped = before.map((candidate) =>
      candidate.name === 'score' ? column('score', 'string') : candidate,
    );
    const first = detectDrift(before, retyped, [users], null);
    expect(first?.columns).toEqual([
      {
        name: 'score',
        change: 'type_changed',
        previous_type: 'integer',
        current_type: 'string',
        renamed_to: null,
        streams: [{ stream_id: 'users', target_fields: ['plan'] }],
      },
    ]);
    expect(describeDrift(first!.columns[0]!, 'customers')).toContain(
      'changed type from integer to string',
    );
    // The next extract sees the same columns: still a warning, not news.
    const second = detectDrift(retyped, retyped, [users], first);
    expect(second).toEqual(first);
    expect(newProblems(first, second)).toEqual([]);
    // Back to integer: resolved.
    expect(detectDrift(retyped, before, [users], second)).toBeNull();
  });

  test('unmapped columns coming and going are not warnings; a new one stays new until mapped', () => {
    const added = [...before, column('notes')];
    expect(detectDrift(before, added, [users], null)).toEqual({
      columns: [],
      new_columns: ['notes'],
    });
    const stillNew = detectDrift(added, added, [users], { columns: [], new_columns: ['notes'] });
    expect(stillNew?.new_columns).toEqual(['notes']);
    const mapped = { id: 'users', mappings: [...users.mappings, field('notes', 'notes')] };
    expect(detectDrift(added, added, [mapped], stillNew)).toBeNull();
  });

  test('the first read has nothing to drift from; a column never seen is the mapping’s own error, not drift', () => {
    expect(detectDrift(null, before, [users], null)).toBeNull();
    expect(
      detectDrift(before, before, [{ id: 'other', mappings: [field('x', 'never_there')] }], null),
    ).toBeNull();
  });

  test('a column restored clears the warning; the renamed one is no longer offered as new once gone', () => {
    const renamed = [
      column('id', 'integer'),
      column('email_address'),
      column('plan'),
      column('score', 'integer'),
    ];
    const drift = detectDrift(before, renamed, [users], null);
    expect(detectDrift(renamed, before, [users], drift)).toBeNull();
  });
});

describe('newProblems and acknowledgeMappings', () => {
  const renamed = [
    column('id', 'integer'),
    column('email_address'),
    column('plan'),
    column('score', 'string'),
  ];
  const drift = detectDrift(
    before,
    renamed,
    [users, { id: 'audit', mappings: [field('who', 'email')] }],
    null,
  )!;

  test('only what the previous drift did not have is news', () => {
    expect(newProblems(null, drift).map((problem) => `${problem.change}:${problem.name}`)).toEqual([
      'removed:email',
      'type_changed:score',
    ]);
    expect(newProblems(drift, drift)).toEqual([]);
  });

  test('a stream that saves its mapping accepts the new types, stops waiting on what it remapped, and sees nothing new', () => {
    const remapped = [
      field('id', 'id'),
      field('email', 'email_address'),
      expression('plan', 'upper(plan) + "-" + score'),
    ];
    const saved = acknowledgeMappings(drift, 'users', remapped);
    // The audit stream still reads the gone column: its warning stays.
    expect(saved).toEqual({
      columns: [{ ...drift.columns[0], streams: [{ stream_id: 'audit', target_fields: ['who'] }] }],
      new_columns: [],
    });
    expect(acknowledgeMappings(saved, 'audit', [field('who', 'email')])).toEqual(saved);
    expect(acknowledgeMappings(saved, 'audit', [field('who', 'email_address')])).toBeNull();
  });
});
