import { describe, expect, test } from 'vitest';
import {
  isCovered,
  isKnownTarget,
  requiredFieldPaths,
  uncoveredRequiredFields,
} from './required-fields';

const knockSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'name', 'timezone', 'preferences'],
  properties: {
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    timezone: { type: 'string' },
    preferences: {
      type: 'object',
      required: ['default'],
      properties: {
        default: {
          type: 'object',
          required: ['channel_types', 'workflows'],
          properties: {
            channel_types: {
              type: 'object',
              required: ['email'],
              properties: { email: { type: 'boolean' } },
            },
            workflows: { type: 'object' },
          },
        },
      },
    },
  },
};

describe('requiredFieldPaths', () => {
  test('lists top-level required fields', () => {
    expect(
      requiredFieldPaths({
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' } },
      }),
    ).toEqual(['id']);
  });

  test('descends into required objects with required children', () => {
    expect(requiredFieldPaths(knockSchema)).toEqual([
      'email',
      'name',
      'timezone',
      'preferences.default.channel_types.email',
      'preferences.default.workflows',
    ]);
  });

  test('ignores malformed required lists and non-object schemas', () => {
    expect(requiredFieldPaths({ required: 'id' })).toEqual([]);
    expect(requiredFieldPaths(null)).toEqual([]);
    expect(requiredFieldPaths({ required: ['a', 3] })).toEqual(['a']);
  });
});

describe('coverage', () => {
  test('a mapping of an ancestor object covers its required leaves', () => {
    expect(isCovered('preferences.default.workflows', ['preferences'])).toBe(true);
    expect(isCovered('preferences.default.workflows', ['preferences.default.channel_types'])).toBe(
      false,
    );
  });

  test('a mapping of a descendant covers an object leaf', () => {
    expect(
      isCovered('preferences.default.workflows', ['preferences.default.workflows.welcome']),
    ).toBe(true);
  });

  test('a name prefix is not an ancestor', () => {
    expect(isCovered('email', ['email_address'])).toBe(false);
  });

  test('reports what is missing', () => {
    expect(uncoveredRequiredFields(knockSchema, ['email', 'preferences.default'])).toEqual([
      'name',
      'timezone',
    ]);
  });
});

describe('isKnownTarget', () => {
  test('rejects fields the schema forbids', () => {
    expect(isKnownTarget(knockSchema, 'nickname')).toBe(false);
    expect(isKnownTarget(knockSchema, 'email')).toBe(true);
  });

  test('allows anything below an open object', () => {
    expect(isKnownTarget(knockSchema, 'preferences.default.workflows.welcome')).toBe(true);
    expect(isKnownTarget({ type: 'object' }, 'anything.at.all')).toBe(true);
  });

  test('does not treat prototype names as declared properties', () => {
    expect(isKnownTarget(knockSchema, 'constructor')).toBe(false);
  });
});
