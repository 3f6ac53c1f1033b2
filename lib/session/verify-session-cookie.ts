// The one check of a session cookie's value, shared by the proxy (before rendering) and getSession
// (everything else).
import { getSessionEnv } from '@/lib/env';
import { isSessionRevoked } from './revoked-sessions';
import { type SessionClaims, verifySessionToken } from './session-token';

/** The claims of a signed, unexpired, unrevoked session token; null for anything else. */
export function verifySessionCookie(
  token: string | undefined,
): (SessionClaims & { kind: 'session' }) | null {
  const env = getSessionEnv();
  if (!env.ok || !token) return null;
  const checked = verifySessionToken(token, env.data.INLET_SESSION_SECRET, 'session');
  if (!checked.ok || isSessionRevoked(checked.claims.sid)) return null;
  return checked.claims as SessionClaims & { kind: 'session' };
}
