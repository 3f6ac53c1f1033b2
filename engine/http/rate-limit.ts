// Request rate limits (token buckets per engine process): one per API key, and (ext) one per tenant
// within a key, named by the caller's `X-Inlet-Provider` header, so that one tenant of an app
// sharing a key cannot use up the key's rate for every other tenant. 429 with Retry-After when
// either is exceeded.
import type { MiddlewareHandler } from 'hono';
import type { RequestVariables } from '../engine-context';
import { ApiError } from './api-error';

export const PROVIDER_HEADER = 'x-inlet-provider';

type Bucket = { tokens: number; at: number };
type Limit = { perSecond: number; capacity: number };

/**
 * Buckets that refill at `perSecond` up to `capacity`; idle (full) ones are forgotten once there
 * are many.
 */
function bucketsOf({ perSecond, capacity }: Limit) {
  const buckets = new Map<string, Bucket>();
  let prunedAt = -Infinity;
  const refill = (bucket: Bucket, time: number) => {
    bucket.tokens = Math.min(capacity, bucket.tokens + ((time - bucket.at) / 1000) * perSecond);
    bucket.at = time;
  };
  return {
    /** The bucket's tokens now (refilled), without taking one. */
    peek(key: string, time: number): Bucket {
      let bucket = buckets.get(key);
      if (!bucket) {
        // At most once a second, so many live buckets never make each new one a full scan.
        if (buckets.size >= 10_000 && time - prunedAt >= 1000) {
          prunedAt = time;
          for (const [old, value] of buckets)
            if ((refill(value, time), value.tokens >= capacity)) buckets.delete(old);
        }
        bucket = { tokens: capacity, at: time };
        buckets.set(key, bucket);
      }
      refill(bucket, time);
      return bucket;
    },
    retryAfter: (bucket: Bucket) => Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)),
  };
}

export function rateLimit(options: {
  perSecond: number;
  perProviderPerSecond?: number;
  burst?: number;
  now?: () => number;
}): MiddlewareHandler<{ Variables: RequestVariables }> {
  const now = options.now ?? (() => performance.now());
  const keys = bucketsOf({
    perSecond: options.perSecond,
    capacity: options.burst ?? options.perSecond * 2,
  });
  const perProvider =
    options.perProviderPerSecond ?? Math.max(1, Math.floor(options.perSecond / 4));
  const providers = bucketsOf({ perSecond: perProvider, capacity: perProvider * 2 });
  return async (c, next) => {
    const actor = c.get('actor');
    if (!actor) return next();
    const time = now();
    const provider = providerOf(c.req.header(PROVIDER_HEADER));
    const own =
      provider === null ? null : providers.peek(`${actor.actor_id}\u0000${provider}`, time);
    if (own && own.tokens < 1) {
      const retryAfter = providers.retryAfter(own);
      throw new ApiError(
        429,
        'rate_limited',
        `Too many requests for provider "${provider}": at most ${perProvider} per second. Retry ` +
          `after ${retryAfter} s.`,
        [],
        {
          'Retry-After': String(retryAfter),
        },
      );
    }
    const key = keys.peek(actor.actor_id, time);
    if (key.tokens < 1) {
      const retryAfter = keys.retryAfter(key);
      throw new ApiError(
        429,
        'rate_limited',
        `Too many requests for this API key: at most ${options.perSecond} per second. Retry ` +
          `after ${retryAfter} s.`,
        [],
        {
          'Retry-After': String(retryAfter),
        },
      );
    }
    key.tokens -= 1;
    if (own) own.tokens -= 1;
    return next();
  };
}

/**
 * The tenant named by the header (percent-encoded, at most 200 characters), or null when absent or
 * unreadable.
 */
function providerOf(header: string | undefined): string | null {
  if (!header) return null;
  try {
    const provider = decodeURIComponent(header);
    return provider.length > 0 && provider.length <= 200 ? provider : null;
  } catch {
    return null;
  }
}
