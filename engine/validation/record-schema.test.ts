import { fullFormats } from 'ajv-formats/dist/formats';
import { describe, expect, test } from 'vitest';
import { compileRecordSchema, isOrdinaryDateTime } from './record-schema';

const original = (fullFormats['date-time'] as { validate: (text: string) => boolean }).validate;

function validator() {
  const compiled = compileRecordSchema(
    { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } },
    'record_schema',
  );
  if (!compiled.ok) throw new Error('the schema compiles');
  return (at: string) => compiled.validate({ at });
}

// Every month's last days, leap and common years, the edges of each time field, and shapes only the full check reads.
const samples = [
  ...['2024', '2023', '2000', '1900', '0000', '9999'].flatMap((year) =>
    ['00', '01', '02', '04', '12', '13'].flatMap((month) =>
      ['00', '01', '28', '29', '30', '31', '32'].map((day) => `${year}-${month}-${day}T12:00:00Z`),
    ),
  ),
  ...[
    '00:00:00',
    '23:59:59',
    '24:00:00',
    '23:60:00',
    '23:59:60',
    '23:59:59.999999',
    '12:00:00.',
    '1:00:00',
    '12:00',
  ].map((time) => `2026-11-26T${time}Z`),
  '2026-11-26t12:00:00z',
  '2026-11-26 12:00:00Z',
  '2026-11-26T12:00:00+01:00',
  '2026-11-26T12:00:00',
  '2026-11-26T23:59:60+00:00',
  '2026-11-26T12:00:00.123456Z ',
  ' 2026-11-26T12:00:00Z',
  '2026-11-26TT12:00:00Z',
  '２０２６-11-26T12:00:00Z',
  '',
];

describe('date-time in record schemas', () => {
  test('ordinary timestamps are accepted without the full check, and only those it accepts too', () => {
    for (const sample of samples)
      if (isOrdinaryDateTime(sample)) expect([sample, original(sample)]).toEqual([sample, true]);
    expect(samples.filter(isOrdinaryDateTime)).toContain('2024-02-29T12:00:00Z');
    expect(isOrdinaryDateTime('2023-02-29T12:00:00Z')).toBe(false);
    expect(isOrdinaryDateTime('2026-11-26T12:00:00.123456Z')).toBe(true);
  });

  test("a schema accepts exactly what ajv-formats' date-time accepts", () => {
    const validate = validator();
    for (const sample of samples)
      expect([sample, validate(sample)]).toEqual([sample, original(sample)]);
    // Leap seconds and offsets are the full check's.
    expect(validate('2026-11-26T23:59:60Z')).toBe(true);
    expect(validate('2026-11-26T12:00:00+01:00')).toBe(true);
    expect(validate('2026-02-30T12:00:00Z')).toBe(false);
  });
});
