// The caller's embed session, read from its cookie: every page, action and route handler asks here
// who is calling.
import 'server-only';
import { cookies, headers } from 'next/headers';
import { getAppEnv } from '@/lib/env';
import { revokeSession } from './revoked-sessions';
import { isHttpsRequest, sessionCookieName } from './session-cookie';
import type { SessionClaims } from './session-token';
import { verifySessionCookie } from './verify-session-cookie';

export type Session = SessionClaims & { kind: 'session' };

/**
 * The cookie name for this request: `__Host-` prefixed when the browser is on HTTPS, and only that
 * one then.
 */
export async function requestCookieName(): Promise<string> {
  return sessionCookieName(
    isHttpsRequest(
      (await headers()).get('x-forwarded-proto'),
      undefined,
      getAppEnv().INLET_APP_URL,
    ),
  );
}

export async function getSession(): Promise<Session | null> {
  // Read first: it marks every page that asks for a session as per-request, whatever the
  // configuration.
  return verifySessionCookie((await cookies()).get(await requestCookieName())?.value);
}

/**
 * Signs the caller out: the cookie goes, and its token is refused from now on even if it was
 * copied.
 */
export async function endSession(): Promise<void> {
  const session = await getSession();
  if (session) revokeSession(session.sid, session.exp);
  (await cookies()).delete({
    name: await requestCookieName(),
    path: '/',
    secure: true,
    sameSite: 'none',
    partitioned: true,
  });
}

export type CustomerSession = Session & { role: 'customer'; providerId: string };

export function isCustomerSession(session: Session | null): session is CustomerSession {
  return session?.role === 'customer' && session.providerId !== null;
}

export type SupportSession = Session & { role: 'support' };

export function isSupportSession(session: Session | null): session is SupportSession {
  return session?.role === 'support';
}
