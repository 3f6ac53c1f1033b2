import { expect, test } from 'vitest';
import { createTransformCache } from './compiled-transform-cache';

const schema = { type: 'object', properties: { id: { type: 'string' } } };
const mappings = (column: string) => [
  { target_field: 'id', field_type: 'field' as const, column: { name: column } },
];

test('the same inputs give the same compiled transform; other inputs and evicted ones compile anew', () => {
  const compile = createTransformCache(2);
  const first = compile(mappings('id'), schema, null);
  expect(compile(mappings('id'), { ...schema }, null)).toBe(first);
  expect(compile(mappings('other'), schema, null)).not.toBe(first);
  compile(mappings('third'), schema, null);
  expect(compile(mappings('id'), schema, null)).not.toBe(first);
});

test('a cached transform gives the same answers on every call', () => {
  const compile = createTransformCache();
  const compiled = compile(mappings('id'), { ...schema, required: ['id'] }, null);
  if (!compiled.ok) throw new Error('fixture does not compile');
  expect(compiled.transform.apply({ recordId: '1', isDeleted: false, data: { id: 1 } })).toEqual({
    ok: true,
    record: { id: '1' },
  });
  expect(
    compiled.transform.apply({ recordId: '2', isDeleted: false, data: { id: null } }),
  ).toMatchObject({ ok: false });
  expect(compiled.transform.apply({ recordId: '3', isDeleted: false, data: { id: 3 } })).toEqual({
    ok: true,
    record: { id: '3' },
  });
});
