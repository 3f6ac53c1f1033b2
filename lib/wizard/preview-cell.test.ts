import { describe, expect, test } from 'vitest';
import { previewText, valueAt } from './preview-cell';

describe('previewText', () => {
  test('short values are shown whole: JSON for objects, a dash for nothing', () => {
    expect(previewText({ tier: 'gold' })).toEqual({
      full: '{"tier":"gold"}',
      short: '{"tier":"gold"}',
      isCut: false,
    });
    expect(previewText(null).short).toBe('—');
    expect(previewText(undefined).short).toBe('—');
    expect(previewText(42).short).toBe('42');
    expect(previewText(false).short).toBe('false');
  });

  test('a long JSON value is cut with an ellipsis and keeps its whole text', () => {
    const value = { tags: Array.from({ length: 30 }, (_, index) => `tag-${index}`) };
    const text = previewText(value, 20);
    expect(text.isCut).toBe(true);
    expect(text.short).toBe(`${JSON.stringify(value).slice(0, 20)}…`);
    expect(text.full).toBe(JSON.stringify(value));
  });

  test('a value exactly at the limit is not cut, and a cut never splits an emoji', () => {
    expect(previewText('x'.repeat(20), 20).isCut).toBe(false);
    expect(previewText(`${'x'.repeat(19)}🚀🚀`, 20).short).toBe(`${'x'.repeat(19)}🚀…`);
  });
});

describe('valueAt', () => {
  test('follows a dotted path into nested objects, and finds nothing past a leaf', () => {
    const record = { address: { city: 'Lyon' }, plan: 'pro' };
    expect(valueAt(record, 'address.city')).toBe('Lyon');
    expect(valueAt(record, 'plan')).toBe('pro');
    expect(valueAt(record, 'plan.name')).toBeUndefined();
    expect(valueAt(record, 'missing.city')).toBeUndefined();
  });
});
