// The caller's embed session, read from its cookie: every page, action and route handler asks here who is calling.
import 'server-only';
import { cookies, headers } from 'next/headers';
import { isSessionRevoked, revokeSession } from './revoked-sessions';
import { isHttpsRequest, sessionCookieName } from './session-cookie';
import { getSessionEnv } from './session-env';
import { type SessionClaims, verifySessionToken } from './session-token';

export type Session = SessionClaims & { kind: 'session' };

/** The cookie name for this request: `__Host-` prefixed when the browser is on HTTPS, and only that one then. */
export async function requestCookieName(): Promise<string> {
  return sessionCookieName(isHttpsRequest((await headers()).get('x-forwarded-proto')));
}

export async function getSession(): Promise<Session | null> {
  // Read first: it marks every page that asks for a session as per-request, whatever the configuration.
  const token = (await cookies()).get(await requestCookieName())?.value;
  const env = getSessionEnv();
  if (!env.ok || !token) return null;
  const checked = verifySessionToken(token, env.data.INLET_SESSION_SECRET, 'session');
  if (!checked.ok || isSessionRevoked(checked.claims.sid)) return null;
  return checked.claims as Session;
}

/** Signs the caller out: the cookie goes, and its token is refused from now on even if it was copied. */
export async function endSession(): Promise<void> {
  const session = await getSession();
  if (session) revokeSession(session.sid, session.exp);
  (await cookies()).delete({ name: await requestCookieName(), path: '/', secure: true, sameSite: 'none', partitioned: true });
}

export type CustomerSession = Session & { role: 'customer'; providerId: string };

export function isCustomerSession(session: Session | null): session is CustomerSession {
  return session?.role === 'customer' && session.providerId !== null;
}

export type SupportSession = Session & { role: 'support' };

export function isSupportSession(session: Session | null): session is SupportSession {
  return session?.role === 'support';
}
