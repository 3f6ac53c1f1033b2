import { describe, expect, test } from 'vitest';
import { expectedKind, sniffSamples } from './sample-kinds';

describe('sniffSamples', () => {
  test.each([
    [
      'email',
      ['emma.smith1@gmail.com', 'WANG.FANG2@YAHOO.CO.JP', 'mohamed.ali4+shop@proton.me', null],
    ],
    ['url', ['https://acme.io', 'http://example.org/a?b=c']],
    ['uuid', ['3f2b1c9e-8a4d-4c1e-9f3a-2b7c6d5e4f10', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11']],
    ['date-time', ['2024-01-02T10:20:30.123456Z', '2024-01-02 10:20:30']],
    ['date', ['2024-01-02', '1999-12-31']],
    ['phone', ['+1 555-010-0101', '(030) 1234567', '+44 20 7946 0958']],
    ['country-code', ['US', 'GB', 'DE', null]],
    ['currency-code', ['USD', 'EUR', 'JPY']],
  ] as const)('recognises %s', (kind, samples) => {
    expect(sniffSamples(samples)).toBe(kind);
  });

  test('tolerates a stray value among many', () => {
    expect(sniffSamples(['a@b.io', 'c@d.io', 'e@f.io', 'g@h.io', 'n/a'])).toBe('email');
    expect(sniffSamples(['a@b.io', 'n/a'])).toBeNull();
  });

  test('says nothing about numbers, plain words, ids or missing samples', () => {
    expect(sniffSamples([1, 2, 3])).toBeNull();
    expect(sniffSamples(['free', 'pro'])).toBeNull();
    expect(sniffSamples(['1234567', '7654321'])).toBeNull();
    expect(sniffSamples([])).toBeNull();
    expect(sniffSamples([null, '  '])).toBeNull();
  });
});

describe('expectedKind', () => {
  test('a format is strict about e-mail addresses, URLs and UUIDs', () => {
    expect(expectedKind('email', undefined)).toEqual({ kind: 'email', strict: true });
    expect(expectedKind('uri', undefined)).toEqual({ kind: 'url', strict: true });
    expect(expectedKind('date-time', 'createdat')).toEqual({ kind: 'date-time', strict: false });
  });

  test('a name only hints, except for e-mail', () => {
    expect(expectedKind(undefined, 'email')).toEqual({ kind: 'email', strict: true });
    expect(expectedKind(undefined, 'country')).toEqual({ kind: 'country-code', strict: false });
    expect(expectedKind(undefined, 'plan')).toBeNull();
  });
});
