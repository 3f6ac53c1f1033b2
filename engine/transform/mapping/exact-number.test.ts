import { describe, expect, test } from 'vitest';
import { canonicalNumber, exactNumber } from './exact-number';

describe('exactNumber: decimal text that a JSON number holds exactly', () => {
  test.each<[string, number | undefined]>([
    ['42', 42],
    ['-17', -17],
    ['12.50', 12.5],
    ['1234.5600000000', 1234.56],
    ['0.1', 0.1],
    ['0.30000000000000004', 0.30000000000000004],
    ['1e3', 1000],
    ['2.5E-3', 0.0025],
    ['-0.00', 0],
    ['007', 7],
    ['9007199254740991', 9007199254740991],
    ['9007199254740992', 9007199254740992],
    ['9007199254740993', undefined],
    ['12345678901234567890.123', undefined],
    ['1.0000000000000001', undefined],
    ['1e400', undefined],
    ['NaN', undefined],
    ['Infinity', undefined],
    ['.5', undefined],
    ['1.', 1],
    ['', undefined],
    [' 1', undefined],
    ['abc', undefined],
    ['0x10', undefined],
  ])('%j → %j', (text, expected) => {
    expect(exactNumber(text)).toBe(expected);
  });
});

describe('canonicalNumber: only text spelled the way JSON writes the number', () => {
  test.each<[string, number | undefined]>([
    ['42', 42],
    ['-1.5', -1.5],
    ['0', 0],
    ['042', undefined],
    ['42.0', undefined],
    ['1e3', undefined],
    ['+1', undefined],
    ['-0', undefined],
  ])('%j → %j', (text, expected) => {
    expect(canonicalNumber(text)).toBe(expected);
  });
});

describe('long digit runs', () => {
  test('are read in linear time, and text over 1,000 characters is not a number', () => {
    const started = performance.now();
    // /0+$/ took seconds on these: it retries from every zero.
    expect(exactNumber(`1${'0'.repeat(100_000)}1`)).toBeUndefined();
    expect(exactNumber(`1.${'0'.repeat(100_000)}`)).toBeUndefined();
    expect(exactNumber(`0.1${'0'.repeat(990)}`)).toBe(0.1);
    expect(exactNumber(`1${'0'.repeat(990)}1`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(50);
  });
});
