import { expect, test } from 'vitest';
import { compileMappings } from './compile-mappings';
import { previewRecords } from './preview-records';

const compiled = compileMappings(
  [
    { target_field: 'id', field_type: 'field', column: { name: 'id' } },
    { target_field: 'email', field_type: 'field', column: { name: 'email' } },
  ],
  { type: 'object', required: ['id'], properties: { id: { type: 'string' }, email: { type: 'string', format: 'email' } } },
  [{ name: 'id', raw_type: 'bigint', prequel_type: 'integer', ordinal_position: 1, is_nullable: false }],
);
if (!compiled.ok) throw new Error('fixture does not compile');

const cached = [
  { recordId: '2', isDeleted: false, data: { id: 2, email: 'broken' } },
  { recordId: '1', isDeleted: false, data: { id: 1, email: 'a@example.com' } },
  { recordId: '3', isDeleted: true, data: { id: 3, email: null } },
];

test('records come back in request order with their record id; failures and unknown ids only as errors', async () => {
  const preview = await previewRecords(compiled.transform, ['1', '404', '2', '3', '1'], cached, { now: new Date() });
  expect(preview.records).toEqual([
    { _prequel_record_id: '1', id: '1', email: 'a@example.com' },
    { _prequel_record_id: '3', id: '3', _prequel_is_deleted: true },
  ]);
  expect(preview.errors).toEqual([
    { record_id: '404', stage: 'extract', message: "no record with this id in the dataset's cache" },
    { record_id: '2', target_field: 'email', stage: 'validate_schema', message: '"broken" is not a valid email' },
  ]);
  expect(preview.schema.map((column) => column.name)).toEqual(['id', 'email']);
});
