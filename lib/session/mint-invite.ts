// Minting an invite: the one place that decides what an invite holds and how long it lives.
import 'server-only';
import { cookies } from 'next/headers';
import { getSessionEnv } from '@/lib/env';
import { requestCookieName } from './session';
import { sessionCookieOptions } from './session-cookie';
import { newSessionId, type SessionClaims, signSessionToken } from './session-token';

export const INVITE_SECONDS = 10 * 60;

export type InviteRequest = Pick<SessionClaims, 'role' | 'providerId' | 'scope' | 'actor'>;

export function mintInvite(
  request: InviteRequest,
): { ok: true; token: string; expiresAt: Date } | { ok: false; message: string } {
  const env = getSessionEnv();
  if (!env.ok) return { ok: false, message: env.message };
  const exp = Math.floor(Date.now() / 1000) + INVITE_SECONDS;
  const token = signSessionToken(
    { v: 1, kind: 'invite', sid: newSessionId(), exp, ...request },
    env.data.INLET_SESSION_SECRET,
  );
  return { ok: true, token, expiresAt: new Date(exp * 1000) };
}

/**
 * Signs the caller in directly (server actions only): the session cookie itself, no invite in any
 * URL. Used by the support password sign-in and the demo's "open as…" buttons.
 */
export async function startSession(
  request: InviteRequest,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const env = getSessionEnv();
  if (!env.ok) return { ok: false, message: env.message };
  const maxAge = env.data.INLET_SESSION_MINUTES * 60;
  const token = signSessionToken(
    {
      v: 1,
      kind: 'session',
      sid: newSessionId(),
      exp: Math.floor(Date.now() / 1000) + maxAge,
      ...request,
    },
    env.data.INLET_SESSION_SECRET,
  );
  (await cookies()).set(await requestCookieName(), token, sessionCookieOptions(maxAge));
  return { ok: true };
}
