import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createControl, matchesRule } from './control-plan';

const kinds = (control: ReturnType<typeof createControl>, count: number) =>
  Array.from({ length: count }, () => {
    const step = control.next();
    return step.kind === 'respond' ? step.status : step.kind;
  });

describe('createControl', () => {
  it('accepts everything by default', () => {
    const control = createControl();
    expect(kinds(control, 3)).toEqual([200, 200, 200]);
    expect(control.next()).toMatchObject({ kind: 'respond', status: 200, delayMs: 0, ordinal: 4 });
  });

  it('plays a sequence in order, repeating steps `times`, then falls back to `then`', () => {
    const control = createControl();
    control.set({
      sequence: [500, { status: 503, times: 2 }, { kind: 'drop' }, { kind: 'lose-ack' }],
      then: 429,
    });
    expect(control.snapshot().remaining).toBe(5);
    expect(kinds(control, 7)).toEqual([500, 503, 503, 'drop', 'lose-ack', 429, 429]);
    expect(control.snapshot()).toMatchObject({ remaining: 0, requests: 7 });
  });

  it('adds plan latency, fixed or from a range, to each step’s own', () => {
    const control = createControl({ random: () => 0.5 });
    control.set({ latencyMs: 100, sequence: [{ status: 200, latencyMs: 50 }] });
    expect(control.next().delayMs).toBe(150);
    expect(control.next().delayMs).toBe(100);
    control.set({ latencyMs: { min: 10, max: 20 } });
    expect(control.next().delayMs).toBe(15);
  });

  it('refuses a malformed plan and keeps the current one', () => {
    const control = createControl();
    control.set({ then: 500 });
    expect(() => control.set({ sequence: [42] })).toThrow(z.ZodError);
    expect(() => control.set({ sequence: [101] })).toThrow(z.ZodError);
    expect(() => control.set({ sequence: [{ kind: 'explode' }] })).toThrow(z.ZodError);
    expect(() => control.set({ rejectRecords: [{ field: 'id' }] })).toThrow(
      /exactly one of equals or oneOf/,
    );
    expect(() =>
      control.set({ then: { status: 429, retryAfter: 7, retryAfterDateIn: 7 } }),
    ).toThrow(/not both/);
    expect(() => control.set({ surprise: true })).toThrow(z.ZodError);
    expect(kinds(control, 1)).toEqual([500]);
  });

  it('logs every change with how it was made', () => {
    const control = createControl({ now: () => new Date('2026-11-26T10:00:00Z') });
    control.set({ then: 500 }, 'http');
    control.reset('js');
    expect(control.snapshot().log).toEqual([
      expect.objectContaining({
        at: '2026-11-26T10:00:00.000Z',
        change: 'set',
        via: 'http',
        plan: expect.objectContaining({ then: { kind: 'respond', status: 500, times: 1 } }),
      }),
      expect.objectContaining({ change: 'reset', via: 'js', rejectWhen: false }),
    ]);
  });

  it('names the records its rules or predicate refuse', () => {
    const control = createControl();
    control.set(
      { rejectRecords: [{ field: 'id', equals: 13 }] },
      'js',
      (record) =>
        typeof record === 'object' &&
        record !== null &&
        !Array.isArray(record) &&
        record.email === 'bad',
    );
    expect(
      control.refusedRecords([{ id: 1 }, { id: '13' }, { id: 2, email: 'bad' }, 'text']),
    ).toEqual([1, 2]);
  });
});

describe('matchesRule', () => {
  it('reaches nested fields and compares primitives by value or text', () => {
    const record = { id: 7, address: { country: 'FR' }, vip: true, note: null };
    expect(matchesRule(record, { field: 'address.country', oneOf: ['DE', 'FR'] })).toBe(true);
    expect(matchesRule(record, { field: 'id', equals: '7' })).toBe(true);
    expect(matchesRule(record, { field: 'vip', equals: 'true' })).toBe(true);
    expect(matchesRule(record, { field: 'note', equals: null })).toBe(true);
    expect(matchesRule(record, { field: 'address', equals: 'FR' })).toBe(false);
    expect(matchesRule(record, { field: 'missing', equals: null })).toBe(false);
    expect(matchesRule(record, { field: 'id.toString', equals: 'x' })).toBe(false);
  });
});
