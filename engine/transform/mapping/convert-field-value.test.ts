import { describe, expect, test } from 'vitest';
import type { PrequelType } from '../../../lib/prequel/contract/source-actions';
import { convertFieldValue } from './convert-field-value';
import type { JsonType } from './schema-targets';

type Expected = { value: unknown } | { error: string; fix: string };
type Case = [
  title: string,
  value: unknown,
  columnType: PrequelType | null,
  types: JsonType[],
  expected: Expected,
];

const kept = (value: unknown): Expected => ({ value });
const becomes = kept;
const refused = (error: string, fix: string): Expected => ({ error, fix });

const cases: Case[] = [
  // Integers: to a string field (the quickstart), exact as numbers up to 2^53 - 1, never rounded beyond.
  ['an integer onto a string field', 42, 'integer', ['string'], becomes('42')],
  ['a negative integer onto a string field', -7, 'integer', ['string'], becomes('-7')],
  ['an integer onto an integer field', 42, 'integer', ['integer'], kept(42)],
  ['an integer onto a number field', 42, 'integer', ['number'], kept(42)],
  [
    '2^53 + 1 onto a string field keeps every digit',
    '9007199254740993',
    'integer',
    ['string'],
    kept('9007199254740993'),
  ],
  [
    'int64 max onto a string field',
    '9223372036854775807',
    'integer',
    ['string'],
    kept('9223372036854775807'),
  ],
  [
    '2^53 + 1 onto an integer field',
    '9007199254740993',
    'integer',
    ['integer'],
    refused('would arrive as 9007199254740992', 'string(x)'),
  ],
  [
    '2^53 + 1 onto a number field',
    '9007199254740993',
    'integer',
    ['number'],
    refused('would arrive as 9007199254740992', 'map it to a field of type string'),
  ],
  [
    '2^53 + 2 onto a number field (representable, but beyond the safe range)',
    '9007199254740994',
    'integer',
    ['number'],
    refused('beyond 2^53', 'string(x)'),
  ],
  [
    '2^53 + 1 onto integer-or-string keeps the text',
    '9007199254740993',
    'integer',
    ['integer', 'string'],
    kept('9007199254740993'),
  ],
  [
    'a safe integer kept as text onto an integer field',
    '-9007199254740991',
    'integer',
    ['integer'],
    becomes(-9007199254740991),
  ],
  // Decimals arrive as exact text.
  ['a decimal onto a number field', '12.5000000000', 'decimal', ['number'], becomes(12.5)],
  ['0.1 onto a number field', '0.1', 'decimal', ['number'], becomes(0.1)],
  ['a whole decimal onto an integer field', '42.000', 'decimal', ['integer'], becomes(42)],
  [
    'a long decimal onto a number field',
    '12345678901234567890.123',
    'decimal',
    ['number'],
    refused('would arrive as 12345678901234567000', 'string(x)'),
  ],
  [
    'a long decimal onto a string field',
    '12345678901234567890.123',
    'decimal',
    ['string'],
    kept('12345678901234567890.123'),
  ],
  [
    'a fraction onto an integer field',
    '12.5',
    'decimal',
    ['integer'],
    refused('12.5 is not a whole number', 'int(float(x))'),
  ],
  [
    'NaN onto a number field',
    'NaN',
    'decimal',
    ['number'],
    refused('not a finite number', 'IF(x == "NaN"'),
  ],
  ['a decimal onto number-or-null', '3.25', 'decimal', ['number', 'null'], becomes(3.25)],
  // Floats.
  ['a float onto a string field', 0.1, 'float', ['string'], becomes('0.1')],
  ['a huge float onto a string field', 1e21, 'float', ['string'], becomes('1e+21')],
  [
    'a float onto an integer field',
    2.5,
    'float',
    ['integer'],
    refused('2.5 is not a whole number', 'make the field a number'),
  ],
  // Timestamps arrive as RFC 3339 text with microseconds.
  [
    'a timestamp with µs onto a string field',
    '2026-03-29T00:59:59.999999Z',
    'timestamp',
    ['string'],
    kept('2026-03-29T00:59:59.999999Z'),
  ],
  [
    'a timestamp onto a nullable string field',
    '2026-03-29T00:59:59.999999Z',
    'timestamp',
    ['string', 'null'],
    kept('2026-03-29T00:59:59.999999Z'),
  ],
  [
    'a timestamp onto a number field',
    '2026-03-29T00:59:59.999999Z',
    'timestamp',
    ['integer'],
    refused('is a timestamp, not a number', 'date(x).Unix()'),
  ],
  // Booleans.
  ['a boolean onto a boolean field', true, 'boolean', ['boolean'], kept(true)],
  ['a boolean onto a string field', false, 'boolean', ['string'], becomes('false')],
  [
    'a boolean onto an integer field',
    true,
    'boolean',
    ['integer'],
    refused('is a boolean, not a number', 'IF(x, 1, 0)'),
  ],
  ['"true" onto a boolean field', 'true', 'string', ['boolean'], becomes(true)],
  ['"false" onto a boolean field', 'false', 'string', ['boolean'], becomes(false)],
  [
    '"yes" onto a boolean field',
    'yes',
    'string',
    ['boolean'],
    refused('only "true" and "false" convert', 'x == "yes"'),
  ],
  ['"true" onto a string field stays text', 'true', 'string', ['string'], kept('true')],
  [
    'a number onto a boolean field',
    1,
    'integer',
    ['boolean'],
    refused('is a number, not a boolean', 'x != 0'),
  ],
  // Text: converts to a number only when spelled exactly as JSON writes it.
  ['"42" onto an integer field', '42', 'string', ['integer'], becomes(42)],
  ['"-1.5" onto a number field', '-1.5', 'string', ['number'], becomes(-1.5)],
  [
    '"02134" (a code) onto an integer field',
    '02134',
    'string',
    ['integer'],
    refused('the column holds text ("02134")', 'int(x)'),
  ],
  [
    '" 42" onto a number field',
    ' 42',
    'string',
    ['number'],
    refused('the column holds text', 'float(x)'),
  ],
  [
    '"abc" onto an integer field',
    'abc',
    'string',
    ['integer'],
    refused('the column holds text ("abc"), not a number', 'int(x)'),
  ],
  ['unicode text onto a string field', 'Zoë 🚀 東京', 'string', ['string'], kept('Zoë 🚀 東京')],
  [
    'a uuid onto a string field',
    '0190f1c2-0000-7000-8000-000000000000',
    'uuid',
    ['string'],
    kept('0190f1c2-0000-7000-8000-000000000000'),
  ],
  // JSON stays JSON.
  [
    'a json object onto an object field',
    { plan: 'pro', tags: ['a'] },
    'json',
    ['object'],
    kept({ plan: 'pro', tags: ['a'] }),
  ],
  ['a json array onto an array field', [1, 2], 'json', ['array'], kept([1, 2])],
  [
    'a json object onto a string field',
    { plan: 'pro' },
    'json',
    ['string'],
    refused('an object cannot be a string field as is', 'toJSON(x)'),
  ],
  [
    'JSON text onto an object field',
    '{"a":1}',
    'string',
    ['object'],
    refused('is text, not an object', 'fromJSON(x)'),
  ],
  // Without known column types, values are read by their own JSON type.
  ['an unknown column: text digits onto an integer field', '42', null, ['integer'], becomes(42)],
  [
    'an unknown column: big digits onto an integer field',
    '9007199254740993',
    null,
    ['integer'],
    refused('would arrive as 9007199254740992', 'string(x)'),
  ],
];

describe('convertFieldValue: lossless or refused with a fix', () => {
  test.each(cases)('%s', (_title, value, columnType, types, expected) => {
    // The fix names the value the way an expression would: here a column called x.
    const result = convertFieldValue(
      value,
      columnType,
      types.filter((type) => type !== 'null'),
      'x',
    );
    if ('value' in expected) {
      expect(result).toEqual({ ok: true, value: expected.value });
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.message).toContain(expected.error);
      expect(result.fix).toContain(expected.fix);
    }
  });
});
