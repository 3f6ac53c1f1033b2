import { describe, expect, test } from 'vitest';
import { emptyLiteral } from './empty-literal';

describe('emptyLiteral', () => {
  test('writes the empty value of each JSON Schema type as an expression literal, and none for null or no type', () => {
    expect(
      ['number', 'integer', 'boolean', 'array', 'object', 'string', 'null', undefined].map(
        emptyLiteral,
      ),
    ).toEqual(['0', '0', 'false', '[]', '{}', '""', null, null]);
  });
});
