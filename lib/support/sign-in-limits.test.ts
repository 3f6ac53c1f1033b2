import { describe, expect, it } from 'vitest';
import { createSignInLimits } from './sign-in-limits';

const options = {
  perAddress: 5,
  overall: 8,
  windowSeconds: 60,
  maxBackoffSeconds: 4,
  freeMisses: 2,
};

describe('support sign-in limits', () => {
  it('lets the first misses through, then makes an address wait longer after each miss', async () => {
    const limits = createSignInLimits(options);
    await limits.recordMiss('10.0.0.1');
    expect(await limits.check('10.0.0.1')).toEqual({ ok: true });
    await limits.recordMiss('10.0.0.1');
    const first = await limits.check('10.0.0.1');
    expect(first).toMatchObject({ ok: false, scope: 'address', retryAfterSeconds: 1 });
    await limits.recordMiss('10.0.0.1');
    expect(await limits.check('10.0.0.1')).toMatchObject({ ok: false, retryAfterSeconds: 2 });
    await limits.recordMiss('10.0.0.1');
    expect(await limits.check('10.0.0.1')).toMatchObject({ ok: false, retryAfterSeconds: 4 });
    // Another address is not held up by this one.
    expect(await limits.check('10.0.0.2')).toEqual({ ok: true });
  });

  it('blocks an address for the window once it has used its misses', async () => {
    const limits = createSignInLimits(options);
    for (let miss = 0; miss < 5; miss++) await limits.recordMiss('10.0.0.1');
    expect(await limits.check('10.0.0.1')).toMatchObject({ ok: false, scope: 'address' });
    const check = await limits.check('10.0.0.1');
    expect(check.ok ? 0 : check.retryAfterSeconds).toBeGreaterThan(50);
  });

  it('pauses sign-in for everyone when misses come from many addresses', async () => {
    const limits = createSignInLimits(options);
    for (let miss = 0; miss < 8; miss++) await limits.recordMiss(`10.0.1.${miss}`);
    expect(await limits.check('10.9.9.9')).toMatchObject({ ok: false, scope: 'overall' });
  });

  it('forgets an address’s misses once it signs in', async () => {
    const limits = createSignInLimits(options);
    for (let miss = 0; miss < 3; miss++) await limits.recordMiss('10.0.0.1');
    await limits.recordSuccess('10.0.0.1');
    expect(await limits.check('10.0.0.1')).toEqual({ ok: true });
    await limits.recordMiss('10.0.0.1');
    expect(await limits.check('10.0.0.1')).toEqual({ ok: true });
  });
});
