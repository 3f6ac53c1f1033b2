// The session cookie's name and attributes, shared by the proxy that sets it and the code that
// reads it.
export const SESSION_COOKIE = 'inlet_session';
/**
 * On HTTPS the cookie carries the `__Host-` prefix: browsers then accept it only with Secure,
 * Path=/ and no Domain, so a sibling subdomain cannot plant or overwrite a session. Plain-HTTP
 * development (127.0.0.1) keeps the bare name.
 */
export const HOST_SESSION_COOKIE = '__Host-inlet_session';

export function sessionCookieName(https: boolean): string {
  return https ? HOST_SESSION_COOKIE : SESSION_COOKIE;
}

/**
 * Whether the browser reached the app over HTTPS: INLET_APP_URL's scheme, else the proxy's
 * X-Forwarded-Proto, else the request's own.
 */
export function isHttpsRequest(
  forwardedProto: string | null,
  requestProtocol: string | undefined,
  appUrl: string | undefined,
): boolean {
  if (appUrl) return appUrl.startsWith('https:');
  const forwarded = forwardedProto?.split(',')[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === 'https';
  return requestProtocol === 'https:';
}

/**
 * The cookie works top-level and inside a cross-origin iframe: SameSite=None needs Secure (browsers
 * accept Secure cookies from http://localhost), and Partitioned keeps it to this embedding site
 * under third-party cookie blocking.
 */
export function sessionCookieOptions(maxAgeSeconds: number) {
  return {
    httpOnly: true,
    secure: true,
    sameSite: 'none' as const,
    partitioned: true,
    path: '/',
    maxAge: maxAgeSeconds,
  };
}
