import { describe, expect, it } from 'vitest';
import {
  HOST_SESSION_COOKIE,
  isHttpsRequest,
  SESSION_COOKIE,
  sessionCookieName,
  sessionCookieOptions,
} from './session-cookie';

describe('the session cookie', () => {
  it('carries the __Host- prefix when the browser is on HTTPS, and only then', () => {
    expect(sessionCookieName(isHttpsRequest('https', 'http:', ''))).toBe(HOST_SESSION_COOKIE);
    expect(sessionCookieName(isHttpsRequest('https, http', 'http:', ''))).toBe(HOST_SESSION_COOKIE);
    expect(sessionCookieName(isHttpsRequest(null, 'https:', ''))).toBe(HOST_SESSION_COOKIE);
    expect(sessionCookieName(isHttpsRequest(null, 'http:', ''))).toBe(SESSION_COOKIE);
    // The configured public address decides, whatever a client claims in its headers.
    expect(sessionCookieName(isHttpsRequest('http', 'http:', 'https://import.saas.example'))).toBe(
      HOST_SESSION_COOKIE,
    );
    expect(sessionCookieName(isHttpsRequest('https', 'http:', 'http://127.0.0.1:3000'))).toBe(
      SESSION_COOKIE,
    );
  });

  it('meets the __Host- rules: Secure, Path=/, no Domain', () => {
    const options = sessionCookieOptions(60);
    expect(options).toMatchObject({ secure: true, path: '/', httpOnly: true });
    expect(options).not.toHaveProperty('domain');
  });
});
