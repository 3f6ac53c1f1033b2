import { describe, expect, test } from 'vitest';
import { compileMappings } from './compile-mappings';
import { previewRecords } from './preview-records';

const compiled = compileMappings(
  [
    { target_field: 'id', field_type: 'field', column: { name: 'id' } },
    { target_field: 'email', field_type: 'field', column: { name: 'email' } },
  ],
  {
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string' }, email: { type: 'string', format: 'email' } },
  },
  [
    {
      name: 'id',
      raw_type: 'bigint',
      prequel_type: 'integer',
      ordinal_position: 1,
      is_nullable: false,
    },
  ],
);
if (!compiled.ok) throw new Error('fixture does not compile');

const cached = [
  { recordId: '2', isDeleted: false, data: { id: 2, email: 'broken' } },
  { recordId: '1', isDeleted: false, data: { id: 1, email: 'a@example.com' } },
  { recordId: '3', isDeleted: true, data: { id: 3, email: null } },
];

test('records come back in request order with their record id; failures and unknown ids only as errors', async () => {
  const preview = await previewRecords(compiled.transform, ['1', '404', '2', '3', '1'], cached, {
    now: new Date(),
  });
  expect(preview.records).toEqual([
    { _prequel_record_id: '1', id: '1', email: 'a@example.com' },
    { _prequel_record_id: '3', id: '3', _prequel_is_deleted: true },
  ]);
  expect(preview.errors).toEqual([
    {
      record_id: '404',
      stage: 'extract',
      message: "no record with this id in the dataset's cache",
    },
    {
      record_id: '2',
      target_field: 'email',
      stage: 'validate_schema',
      message: '"broken" is not a valid email',
    },
  ]);
  expect(preview.schema.map((column) => column.name)).toEqual(['id', 'email']);
});

describe('a slow preview', () => {
  const slow = compileMappings(
    [
      { target_field: 'id', field_type: 'field', column: { name: 'id' } },
      {
        target_field: 'n',
        field_type: 'expression',
        expression: { expr: 'len(map(1..1000000, reverse(1..1000000)))' },
      },
    ],
    { type: 'object', properties: { id: { type: 'integer' }, n: { type: 'integer' } } },
    null,
  );
  if (!slow.ok) throw new Error('fixture does not compile');
  const records = Array.from({ length: 20 }, (_, index) => ({
    recordId: String(index + 1),
    isDeleted: false,
    data: { id: index + 1 },
  }));
  const ids = records.map((record) => record.recordId);

  test('lets other work in between records, and reports the records it did not reach within its budget', async () => {
    let turns = 0;
    const started = performance.now();
    const preview = await previewRecords(slow.transform, ids, records, {
      now: new Date(),
      maxMilliseconds: 500,
      takeTurn: async () => {
        turns++;
      },
    });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1_500);
    expect(preview.records).toEqual([]);
    // Every record ran out of its own 100 ms, or was not reached in the preview's 500 ms.
    const reached = preview.errors.filter((error) => error.target_field === 'n');
    const skipped = preview.errors.filter((error) => error.target_field === undefined);
    expect(reached.length).toBeGreaterThanOrEqual(3);
    expect(reached[0]).toEqual({
      record_id: '1',
      target_field: 'n',
      stage: 'transform',
      message: 'expression took too long (more than its time budget of 100 ms)',
      fix: expect.any(String),
    });
    expect(skipped.length).toBe(20 - reached.length);
    expect(skipped[0]).toEqual({
      record_id: String(reached.length + 1),
      stage: 'transform',
      message:
        'not transformed: the preview took longer than its time budget of 500 ms before it reached this record',
      fix: expect.stringContaining('preview fewer records'),
    });
    // A turn before every record after the first (each takes longer than a slice).
    expect(turns).toBeGreaterThanOrEqual(reached.length - 1);
  });
});
