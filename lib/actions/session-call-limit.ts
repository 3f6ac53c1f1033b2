// Each session's share of the one API key: a session that calls too often is told to wait, so no
// tenant can use up the Import API's rate limit for every other tenant (status polling and previews
// included).
import 'server-only';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Session } from '@/lib/session/session';

/**
 * 60 calls in any 10 s: six times the status page's polling, room for a debounced preview typed
 * quickly.
 */
export const SESSION_CALLS = { points: 60, durationSeconds: 10 } as const;

const limiter = new RateLimiterMemory({
  keyPrefix: 'session-calls',
  points: SESSION_CALLS.points,
  duration: SESSION_CALLS.durationSeconds,
});

export type CallLimitError = { code: 'rate_limited'; message: string; status: 429 };

/** Counts one call for the session; an error to answer with once it has used its share. */
export async function limitSessionCalls(
  session: Pick<Session, 'sid'>,
): Promise<CallLimitError | null> {
  try {
    await limiter.consume(session.sid);
    return null;
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
    return {
      code: 'rate_limited',
      status: 429,
      message: `Too many requests from this session: wait ${seconds} s and try again.`,
    };
  }
}
