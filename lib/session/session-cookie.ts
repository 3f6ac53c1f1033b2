// The session cookie's name and attributes, shared by the proxy that sets it and the code that reads it.
export const SESSION_COOKIE = 'inlet_session';

/**
 * The cookie works top-level and inside a cross-origin iframe: SameSite=None needs Secure (browsers accept Secure
 * cookies from http://localhost), and Partitioned keeps it to this embedding site under third-party cookie blocking.
 */
export function sessionCookieOptions(maxAgeSeconds: number) {
  return { httpOnly: true, secure: true, sameSite: 'none' as const, partitioned: true, path: '/', maxAge: maxAgeSeconds };
}
