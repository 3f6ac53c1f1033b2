// Per-API-key request rate limit (a token bucket per engine process): 429 with Retry-After when exceeded.
import type { MiddlewareHandler } from 'hono';
import type { RequestVariables } from '../engine-context';
import { ApiError } from './api-error';

export function rateLimit(options: { perSecond: number; burst?: number; now?: () => number }): MiddlewareHandler<{ Variables: RequestVariables }> {
  const capacity = options.burst ?? options.perSecond * 2;
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async (c, next) => {
    const actor = c.get('actor');
    if (!actor) return next();
    const time = now();
    const bucket = buckets.get(actor.actor_id) ?? { tokens: capacity, at: time };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((time - bucket.at) / 1000) * options.perSecond);
    bucket.at = time;
    buckets.set(actor.actor_id, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond));
      throw new ApiError(429, 'rate_limited', `Too many requests for this API key: at most ${options.perSecond} per second. Retry after ${retryAfter} s.`, [], {
        'Retry-After': String(retryAfter),
      });
    }
    bucket.tokens -= 1;
    return next();
  };
}
