import { describe, expect, test } from 'vitest';
import { setAt } from './target-paths';

describe('setAt', () => {
  test('creates the objects on the way and keeps fields in the order they were set', () => {
    const record: Record<string, unknown> = {};
    setAt(record, ['id'], 1);
    setAt(record, ['preferences', 'plan', 'name'], 'pro');
    setAt(record, ['preferences', 'locale'], 'sv');
    expect(JSON.stringify(record)).toBe(
      '{"id":1,"preferences":{"plan":{"name":"pro"},"locale":"sv"}}',
    );
  });

  test('"__proto__" is written as a field, never as the prototype', () => {
    const record: Record<string, unknown> = {};
    setAt(record, ['__proto__', 'polluted'], true);
    setAt(record, ['a', '__proto__'], { polluted: true });
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(record.a)).toBe(Object.prototype);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(record)).toBe(
      '{"__proto__":{"polluted":true},"a":{"__proto__":{"polluted":true}}}',
    );
  });

  test('"constructor" and "prototype" become own fields; nothing inherited is written through', () => {
    const record: Record<string, unknown> = {};
    setAt(record, ['constructor', 'prototype', 'polluted'], true);
    setAt(record, ['toString'], 'text');
    expect(Object.hasOwn(record, 'constructor')).toBe(true);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.prototype.toString).toBeTypeOf('function');
    expect(JSON.stringify(record)).toBe(
      '{"constructor":{"prototype":{"polluted":true}},"toString":"text"}',
    );
  });
});
