import { describe, expect, test } from 'vitest';
import { InvalidLakeKeyError } from './datalake-error';
import {
  artifactKey,
  datasetPrefix,
  decodeKeySegment,
  encodeKeySegment,
  extractPartKey,
} from './lake-keys';
import { validateLakeKey, validateLakePrefix } from './validate-lake-key';

describe('the datalake key layout', () => {
  test('puts cached data under lakehouse/ and delivery files under artifacts/', () => {
    const dataset = '0194d3c2-8f1e-7a00-b000-000000000001';
    expect(datasetPrefix('acme', dataset)).toBe(`lakehouse/acme/${dataset}/`);
    expect(extractPartKey('acme', dataset, 'ex-1', 1)).toBe(
      `lakehouse/acme/${dataset}/extracts/ex-1/part-00001.parquet`,
    );
    expect(extractPartKey('acme', dataset, 'ex-1', 123_456)).toBe(
      `lakehouse/acme/${dataset}/extracts/ex-1/part-123456.parquet`,
    );
    expect(artifactKey('acme', 'load-7', 'batch-00001.csv')).toBe(
      'artifacts/acme/load-7/batch-00001.csv',
    );
  });

  test('keeps provider ids with ".", "_" and "-" readable and unchanged', () => {
    for (const id of ['acme.co', 'acme_eu', 'acme-1', 'a..b', 'A.b-C_d']) {
      expect(encodeKeySegment(id)).toBe(id);
      expect(validateLakeKey(artifactKey(id, 'load', 'f.csv'))).toContain(`/${id}/`);
    }
  });

  test('escapes anything else so that every id is one safe, distinct segment', () => {
    const tricky = [
      '..',
      '.',
      '.hidden',
      'a/b',
      'a b',
      'ü',
      '~7E',
      '~',
      'x%2F',
      'a\\b',
      '=',
      'tenant/../../etc',
    ];
    const encoded = tricky.map(encodeKeySegment);
    for (const [index, segment] of encoded.entries()) {
      expect(segment).toMatch(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/);
      expect(decodeKeySegment(segment)).toBe(tricky[index]);
      expect(() => validateLakeKey(artifactKey(tricky[index]!, 'load', 'f.csv'))).not.toThrow();
    }
    expect(new Set(encoded).size).toBe(tricky.length);
    expect(encodeKeySegment('..')).toBe('~2E.');
    expect(() => encodeKeySegment('')).toThrow();
  });

  test('refuses part numbers that are not whole and non-negative', () => {
    expect(() => extractPartKey('acme', 'd', 'e', -1)).toThrow();
    expect(() => extractPartKey('acme', 'd', 'e', 1.5)).toThrow();
  });
});

describe('key validation', () => {
  test.each([
    ['../x', /relative|"\." or "\.\."/],
    ['/abs', /relative/],
    ['a//b', /empty segment/],
    ['a/./b', /"\." or "\.\." segment/],
    ['a/../b', /"\." or "\.\." segment/],
    ['a/.tmp-1', /starts with "\."/],
    ['a/b c', /only letters/],
    ['', /empty/],
    ['x'.repeat(901), /longer than/],
    [`a/${'x'.repeat(256)}`, /longer than 255/],
  ])('refuses %j, saying why', (key, reason) => {
    expect(() => validateLakeKey(key)).toThrow(InvalidLakeKeyError);
    expect(() => validateLakeKey(key)).toThrow(reason);
  });

  test('accepts the keys the layout produces and folder or partial prefixes', () => {
    expect(validateLakeKey('lakehouse/acme/d/extracts/e/part-00001.parquet')).toBeTruthy();
    expect(validateLakeKey('_inlet-check/probe-abc')).toBeTruthy();
    for (const prefix of ['', 'artifacts/', 'artifacts/acme/lo', 'lakehouse'])
      expect(validateLakePrefix(prefix)).toBe(prefix);
    for (const prefix of ['/', '../', 'a//', './a', 'a/../'])
      expect(() => validateLakePrefix(prefix)).toThrow(InvalidLakeKeyError);
  });
});
