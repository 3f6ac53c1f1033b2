import { describe, expect, it } from 'vitest';
import { Prng } from './prng';
import { createMicrosFormatter, MICROS_PER_DAY } from './timestamps';

describe('createMicrosFormatter', () => {
  it('writes UTC with all six fractional digits, like DATETIME(6) and timestamptz', () => {
    const format = createMicrosFormatter();
    expect(format(Date.UTC(2026, 0, 1) * 1000)).toBe('2026-01-01 00:00:00.000000');
    expect(format(Date.UTC(2025, 11, 31, 23, 59, 59) * 1000 + 999_999)).toBe(
      '2025-12-31 23:59:59.999999',
    );
    expect(format(Date.UTC(2024, 1, 29, 12, 0, 7) * 1000 + 42)).toBe('2024-02-29 12:00:07.000042');
  });

  it('agrees with Date for random instants, in and out of order', () => {
    const format = createMicrosFormatter();
    const rng = new Prng(1, 'timestamps');
    const start = Date.UTC(2022, 0, 1) * 1000;
    for (let i = 0; i < 20_000; i++) {
      const micros = start + Math.floor(rng.next() * 4 * 365 * MICROS_PER_DAY);
      const expected = `${new Date(Math.floor(micros / 1000)).toISOString().replace('T', ' ').slice(0, 23)}${String(micros % 1000).padStart(3, '0')}`;
      expect(format(micros)).toBe(expected);
    }
  });
});
