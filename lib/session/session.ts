// The caller's embed session, read from its cookie: every page, action and route handler asks here who is calling.
import 'server-only';
import { cookies } from 'next/headers';
import { SESSION_COOKIE } from './session-cookie';
import { getSessionEnv } from './session-env';
import { type SessionClaims, verifySessionToken } from './session-token';

export type Session = SessionClaims & { kind: 'session' };

export async function getSession(): Promise<Session | null> {
  // Read first: it marks every page that asks for a session as per-request, whatever the configuration.
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const env = getSessionEnv();
  if (!env.ok || !token) return null;
  const checked = verifySessionToken(token, env.data.INLET_SESSION_SECRET, 'session');
  return checked.ok ? (checked.claims as Session) : null;
}

export type CustomerSession = Session & { role: 'customer'; providerId: string };

export function isCustomerSession(session: Session | null): session is CustomerSession {
  return session?.role === 'customer' && session.providerId !== null;
}

export type SupportSession = Session & { role: 'support' };

export function isSupportSession(session: Session | null): session is SupportSession {
  return session?.role === 'support';
}
