// Runs before every page: turns an embed invite (?session=…) into the session cookie, refuses
// anonymous visitors to the support console before anything renders, and says who may frame us.
import { type NextRequest, NextResponse } from 'next/server';
import { getAppEnv, getSessionEnv } from '@/lib/env';
import {
  isHttpsRequest,
  sessionCookieName,
  sessionCookieOptions,
} from '@/lib/session/session-cookie';
import { signSessionToken, verifySessionToken } from '@/lib/session/session-token';
import { verifySessionCookie } from '@/lib/session/verify-session-cookie';

function frameAncestors(): string {
  const env = getSessionEnv();
  return ["'self'", ...(env.ok ? env.data.INLET_EMBED_ORIGINS : [])].join(' ');
}

function withSecurityHeaders(response: NextResponse): NextResponse {
  response.headers.set('Content-Security-Policy', `frame-ancestors ${frameAncestors()}`);
  // An invite in the address bar must never leave in a Referer header.
  response.headers.set('Referrer-Policy', 'no-referrer');
  return response;
}

const cookieNameOf = (request: NextRequest) =>
  sessionCookieName(
    isHttpsRequest(
      request.headers.get('x-forwarded-proto'),
      request.nextUrl.protocol,
      getAppEnv().INLET_APP_URL,
    ),
  );

/**
 * Whether the request carries a valid, unrevoked session cookie (of any role: pages decide about
 * roles).
 */
function hasSession(request: NextRequest): boolean {
  return verifySessionCookie(request.cookies.get(cookieNameOf(request))?.value) !== null;
}

const isSupportPage = (path: string) =>
  path === '/support' || (path.startsWith('/support/') && path !== '/support/login');

export function proxy(request: NextRequest) {
  const invite = request.nextUrl.searchParams.get('session');
  if (invite === null) {
    // An extra layer: every support page and loader checks the session itself too.
    if (isSupportPage(request.nextUrl.pathname) && !hasSession(request)) {
      const login = request.nextUrl.clone();
      login.pathname = '/support/login';
      login.search = '';
      return withSecurityHeaders(NextResponse.redirect(login, 303));
    }
    return withSecurityHeaders(NextResponse.next());
  }

  const clean = request.nextUrl.clone();
  clean.searchParams.delete('session');
  const env = getSessionEnv();
  if (!env.ok) {
    clean.pathname = '/session';
    clean.search = '?problem=not_configured';
    return withSecurityHeaders(NextResponse.redirect(clean, 303));
  }
  const checked = verifySessionToken(invite, env.data.INLET_SESSION_SECRET, 'invite');
  if (!checked.ok) {
    clean.pathname = '/session';
    clean.search = `?problem=${checked.reason === 'expired' ? 'expired' : 'invalid'}`;
    return withSecurityHeaders(NextResponse.redirect(clean, 303));
  }
  const maxAge = env.data.INLET_SESSION_MINUTES * 60;
  const session = signSessionToken(
    { ...checked.claims, kind: 'session', exp: Math.floor(Date.now() / 1000) + maxAge },
    env.data.INLET_SESSION_SECRET,
  );
  const response = NextResponse.redirect(clean, 303);
  response.cookies.set(cookieNameOf(request), session, sessionCookieOptions(maxAge));
  return withSecurityHeaders(response);
}

export const config = {
  // Pages only: not Next's assets, not the API routes (they answer JSON, set their own headers and
  // check the session).
  matcher: ['/((?!_next/|api/|favicon.ico|icon.svg).*)'],
};
