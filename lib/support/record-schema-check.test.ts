import { describe, expect, test } from 'vitest';
import { checkRecordSchema } from './record-schema-check';

describe('checking a record schema as it is typed', () => {
  test('counts the fields of a good schema', () => {
    expect(
      checkRecordSchema(
        '{"type":"object","required":["id"],"properties":{"id":{"type":"string"},"n":{"type":["integer","null"]}}}',
      ),
    ).toEqual({ ok: true, fields: 2, required: 1 });
  });

  test.each([
    ['{"type":"object",', /Not valid JSON/],
    ['[]', /must be a JSON object/],
    ['{"type":"array"}', /"type": "object"/],
    ['{"type":"object"}', /"properties"/],
    ['{"type":"object","properties":{"id":"string"}}', /Field "id" must be described by an object/],
    ['{"type":"object","properties":{"id":{"type":3}}}', /"type" must be a type name/],
    ['{"type":"object","required":"id","properties":{"id":{}}}', /"required" must be a list/],
    [
      '{"type":"object","required":["id","email"],"properties":{"id":{}}}',
      /not in "properties": email/,
    ],
  ])('says what is wrong with %s', (text, message) => {
    const checked = checkRecordSchema(text);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.message).toMatch(message);
  });
});
