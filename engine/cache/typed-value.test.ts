import { describe, expect, test } from 'vitest';
import { toRfc3339Timestamp, typedValue } from './typed-value';

describe('typedValue', () => {
  test('keeps integers beyond 2^53 exact as strings', () => {
    expect(typedValue('42', 'integer')).toBe(42);
    expect(typedValue('9007199254740991', 'integer')).toBe(9007199254740991);
    expect(typedValue('9007199254740993', 'integer')).toBe('9007199254740993');
    expect(typedValue('-9223372036854775808', 'integer')).toBe('-9223372036854775808');
  });

  test('keeps decimals as exact strings', () => {
    expect(typedValue('12345678901234567890.1234567890', 'decimal')).toBe(
      '12345678901234567890.1234567890',
    );
  });

  test('reads booleans as Postgres and MySQL write them', () => {
    expect([
      typedValue('t', 'boolean'),
      typedValue('f', 'boolean'),
      typedValue('1', 'boolean'),
      typedValue('0', 'boolean'),
    ]).toEqual([true, false, true, false]);
  });

  test('parses json and passes NULL through', () => {
    expect(typedValue('{"a":[1,"é",null]}', 'json')).toEqual({ a: [1, 'é', null] });
    expect(typedValue(null, 'json')).toBeNull();
    expect(typedValue('', 'string')).toBe('');
  });

  test('writes timestamps as RFC 3339 with their microseconds', () => {
    expect(toRfc3339Timestamp('2026-01-01 10:00:00.123456+00')).toBe('2026-01-01T10:00:00.123456Z');
    expect(toRfc3339Timestamp('2026-01-01 10:00:00+05:30')).toBe('2026-01-01T10:00:00+05:30');
    expect(toRfc3339Timestamp('2026-01-01 10:00:00.5')).toBe('2026-01-01T10:00:00.5Z');
    expect(toRfc3339Timestamp('infinity')).toBe('infinity');
  });

  test('rewrites the usual UTC shape as the general rule does, and leaves near misses to it', () => {
    expect(toRfc3339Timestamp('2026-01-01 10:00:00+00')).toBe('2026-01-01T10:00:00Z');
    expect(toRfc3339Timestamp('2026-01-01 10:00:00.000001+00')).toBe('2026-01-01T10:00:00.000001Z');
    expect(toRfc3339Timestamp('2026-01-01 10:00:00+00:00')).toBe('2026-01-01T10:00:00Z');
    expect(toRfc3339Timestamp('2026-01-01 10:00:00-00')).toBe('2026-01-01T10:00:00Z');
    expect(toRfc3339Timestamp('2026-01-01 10:00:00.+00')).toBe('2026-01-01 10:00:00.+00');
    expect(toRfc3339Timestamp('12026-01-01 10:00:00+00')).toBe('12026-01-01 10:00:00+00');
  });
});
