import { describe, expect, test } from 'vitest';
import {
  coreTokens,
  editDistance,
  nameConcept,
  nameSimilarity,
  nameTokens,
} from './name-similarity';

describe('nameTokens', () => {
  test('splits camelCase, PascalCase, acronyms and any separator', () => {
    expect(nameTokens('createdAt')).toEqual(['created', 'at']);
    expect(nameTokens('Email_Address')).toEqual(['email', 'address']);
    expect(nameTokens('e-mail')).toEqual(['e', 'mail']);
    expect(nameTokens('HTTPStatus code')).toEqual(['http', 'status', 'code']);
    expect(nameTokens('address.city')).toEqual(['address', 'city']);
    expect(nameTokens('__')).toEqual([]);
  });

  test('keeps non-Latin letters', () => {
    expect(nameTokens('prénom_client')).toEqual(['prénom', 'client']);
  });
});

describe('coreTokens', () => {
  test('drops the usual prefixes and suffixes but never everything', () => {
    expect(coreTokens(['is', 'active'])).toEqual(['active']);
    expect(coreTokens(['created', 'at'])).toEqual(['created']);
    expect(coreTokens(['customer', 'email'])).toEqual(['email']);
    expect(coreTokens(['customer', 'id'])).toEqual(['customer']);
    expect(coreTokens(['id'])).toEqual(['id']);
  });
});

describe('nameSimilarity', () => {
  const score = (target: string, column: string) => nameSimilarity(target, column)?.score ?? 0;

  test('the very same name scores highest, then the same name in another case or spelling', () => {
    expect(nameSimilarity('email', 'email')).toEqual({ score: 1, kind: 'same' });
    expect(nameSimilarity('created_at', 'CreatedAt')).toEqual({ score: 0.97, kind: 'same' });
    expect(nameSimilarity('first_name', 'firstname')).toEqual({ score: 0.95, kind: 'same' });
    expect(nameSimilarity('email', 'e_mail')).toEqual({ score: 0.95, kind: 'same' });
    expect(score('email', 'email')).toBeGreaterThan(score('email', 'EMAIL'));
  });

  test.each([
    ['email', 'email_address'],
    ['email', 'mail'],
    ['full_name', 'display_name'],
    ['name', 'full_name'],
    ['phone', 'telephone'],
    ['phone', 'mobile'],
    ['created_at', 'signup_at'],
    ['created_at', 'inserted_at'],
    ['created_at', 'createdon'],
    ['updated_at', 'modified_at'],
    ['updated_at', 'last_modified'],
    ['country', 'country_code'],
    ['postal_code', 'zip'],
    ['external_id', 'external_ref'],
    ['user_id', 'customer_id'],
    ['timestamp', 'occurred_at'],
    ['properties', 'payload'],
  ])('synonyms match: %s ≈ %s', (target, column) => {
    expect(nameSimilarity(target, column)).toMatchObject({ kind: 'similar' });
    expect(score(target, column)).toBeGreaterThanOrEqual(0.8);
  });

  test('affixes are ignored: is_active ≈ active, customer_email ≈ email', () => {
    expect(score('is_active', 'active')).toBe(0.85);
    expect(score('email', 'customer_email')).toBe(0.85);
  });

  test('near misses and partial names match more weakly', () => {
    expect(score('adress', 'address_line')).toBe(0);
    expect(score('organisation_name', 'organization_name')).toBeGreaterThan(0.6);
    expect(score('email', 'billing_email')).toBe(0.6);
    expect(score('order_id', 'id')).toBe(0.55);
  });

  test('different meanings do not match, however alike they are spelled', () => {
    expect(nameSimilarity('country', 'county')).toBeNull();
    expect(nameSimilarity('name', 'first_name')).toBeNull();
    expect(nameSimilarity('last_name', 'name')).toBeNull();
    expect(nameSimilarity('created_at', 'updated_at')).toBeNull();
    expect(nameSimilarity('id', 'customer_id')).toBeNull();
    expect(nameSimilarity('is_active', 'is_deleted')).toBeNull();
    expect(nameSimilarity('email', 'phone')).toBeNull();
  });

  test('a column named like the last segment of a nested field matches it a little less', () => {
    expect(score('address.city', 'address_city')).toBe(0.97);
    expect(score('address.city', 'city')).toBeCloseTo(0.92);
    expect(nameSimilarity('address.city', 'city')?.kind).toBe('similar');
    expect(score('address.city', 'town')).toBeCloseTo(0.8 * 0.92);
  });

  test('long names are compared quickly', () => {
    const long = 'x'.repeat(5000);
    const started = performance.now();
    nameSimilarity(`${long}a`, `${long}b`);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('nameConcept', () => {
  test('names the meaning group of a name', () => {
    expect(nameConcept('Email_Address')).toBe('email');
    expect(nameConcept('FirstName')).toBe('firstname');
    expect(nameConcept('surname')).toBe('lastname');
    expect(nameConcept('customer_email')).toBe('email');
    expect(nameConcept('favourite_colour')).toBeUndefined();
  });
});

describe('editDistance', () => {
  test('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('stops early once the distance exceeds the bound', () => {
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });

  test('agrees with the plain computation within the bound', () => {
    const words = [
      'email',
      'e_mail',
      'emial',
      'mail',
      'created',
      'creatd',
      'updated',
      'organisation',
      'organization',
      'x',
      '',
      'attribute7value',
      'attribute17value',
    ];
    const plain = (a: string, b: string): number => {
      const rows = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
      );
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          rows[i]![j] = Math.min(
            rows[i - 1]![j]! + 1,
            rows[i]![j - 1]! + 1,
            rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
          );
        }
      }
      return rows[a.length]![b.length]!;
    };
    for (const a of words) {
      for (const b of words) {
        for (const max of [0, 1, 2, 3, Infinity])
          expect(editDistance(a, b, max), `${a} ${b} ${max}`).toBe(Math.min(plain(a, b), max + 1));
      }
    }
  });
});
