// Every route except the public ones needs a valid X-API-Key; keys are compared by hash in constant
// time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { RequestVariables } from '../engine-context';
import { ApiError } from './api-error';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function requireApiKey(
  apiKeys: readonly string[],
  isPublic: (path: string) => boolean,
): MiddlewareHandler<{ Variables: RequestVariables }> {
  const known = apiKeys.map((key) => ({
    hash: digest(key),
    actorId: `api_key:${digest(key).toString('hex').slice(0, 12)}`,
  }));
  return async (c, next) => {
    if (isPublic(c.req.path)) return next();
    const presented = c.req.header('x-api-key');
    const match = presented
      ? known.find((key) => timingSafeEqual(key.hash, digest(presented)))
      : undefined;
    if (!match) {
      throw new ApiError(
        401,
        'unauthorized',
        presented ? 'The API key is not valid.' : 'Send your API key in the X-API-Key header.',
      );
    }
    c.set('actor', { actor_id: match.actorId, type: 'api_key' });
    return next();
  };
}
