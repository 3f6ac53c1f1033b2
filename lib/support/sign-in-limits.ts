// How often anyone may guess support passwords: per client address (with a growing wait after each
// miss) and over all addresses together, so rotating addresses does not buy more guesses.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export type SignInLimitsOptions = {
  /** Misses per address in `windowSeconds` after which the address is blocked for the window. */
  perAddress: number;
  /**
   * Misses from every address together in `windowSeconds` after which sign-in pauses for everyone.
   */
  overall: number;
  windowSeconds: number;
  /**
   * The wait after the n-th consecutive miss from an address (n ≥ freeMisses): 2^(n − freeMisses)
   * s, at most this.
   */
  maxBackoffSeconds: number;
  freeMisses: number;
};

export const DEFAULT_SIGN_IN_LIMITS: SignInLimitsOptions = {
  perAddress: 10,
  overall: 100,
  windowSeconds: 15 * 60,
  maxBackoffSeconds: 60,
  freeMisses: 3,
};

export type SignInCheck =
  { ok: true } | { ok: false; retryAfterSeconds: number; scope: 'address' | 'overall' };

const secondsOf = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export function createSignInLimits(options: SignInLimitsOptions = DEFAULT_SIGN_IN_LIMITS) {
  const misses = new RateLimiterMemory({
    keyPrefix: 'sign-in-misses',
    points: options.perAddress,
    duration: options.windowSeconds,
    blockDuration: options.windowSeconds,
  });
  const everyone = new RateLimiterMemory({
    keyPrefix: 'sign-in-overall',
    points: options.overall,
    duration: options.windowSeconds,
    blockDuration: options.windowSeconds,
  });
  // A block per address until its backoff has passed; points are never consumed, only blocks set.
  const backoff = new RateLimiterMemory({ keyPrefix: 'sign-in-backoff', points: 1, duration: 1 });

  /**
   * The limiter's record for the key once it has reached `threshold` points and not yet expired.
   */
  const blocked = async (limiter: RateLimiterMemory, key: string, threshold: number) => {
    const res = await limiter.get(key);
    return res && res.consumedPoints >= threshold && res.msBeforeNext > 0 ? res : null;
  };

  return {
    /** Before checking a password: whether this address may try now. */
    async check(address: string): Promise<SignInCheck> {
      const overall = await blocked(everyone, 'all', options.overall);
      if (overall) return { ok: false, retryAfterSeconds: secondsOf(overall), scope: 'overall' };
      // `block()` records a limiter's points + 1, so a backoff block shows as 2 points.
      const own =
        (await blocked(misses, address, options.perAddress)) ??
        (await blocked(backoff, address, 2));
      return own
        ? { ok: false, retryAfterSeconds: secondsOf(own), scope: 'address' }
        : { ok: true };
    },
    async recordMiss(address: string): Promise<void> {
      const counted = await misses.penalty(address, 1);
      if (counted.consumedPoints >= options.perAddress)
        await misses.block(address, options.windowSeconds);
      const all = await everyone.penalty('all', 1);
      if (all.consumedPoints >= options.overall) await everyone.block('all', options.windowSeconds);
      const beyond = counted.consumedPoints - options.freeMisses;
      if (beyond >= 0)
        await backoff.block(address, Math.min(options.maxBackoffSeconds, 2 ** beyond));
    },
    async recordSuccess(address: string): Promise<void> {
      await misses.delete(address);
      await backoff.delete(address);
    },
  };
}
