import { describe, expect, test } from 'vitest';
import {
  newSessionId,
  type SessionClaims,
  signSessionToken,
  verifySessionToken,
} from './session-token';

const secret = 'test-session-secret-0123456789abcdef';
const now = Date.parse('2026-11-26T12:00:00Z');
const claims = (overrides: Partial<SessionClaims> = {}): SessionClaims => ({
  v: 1,
  kind: 'invite',
  sid: newSessionId(),
  role: 'customer',
  providerId: 'acme',
  scope: 'full',
  actor: 'ada@host.example',
  exp: now / 1000 + 300,
  ...overrides,
});

describe('embed session tokens', () => {
  test('round-trip the claims they were signed with', () => {
    const signed = claims();
    expect(verifySessionToken(signSessionToken(signed, secret), secret, 'invite', now)).toEqual({
      ok: true,
      claims: signed,
    });
  });

  test('are refused after they expire', () => {
    const token = signSessionToken(claims({ exp: now / 1000 }), secret);
    expect(verifySessionToken(token, secret, 'invite', now)).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  test('are refused when signed with another secret or altered', () => {
    const token = signSessionToken(claims(), secret);
    expect(verifySessionToken(token, 'another-secret-0123456789abcdef', 'invite', now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    // Another provider in the payload, the original signature kept.
    const [, signature] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify(claims({ providerId: 'globex' }))).toString('base64url')}.${signature}`;
    expect(verifySessionToken(forged, secret, 'invite', now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  test('of one kind never pass as the other (an invite is not a session cookie)', () => {
    const invite = signSessionToken(claims({ kind: 'invite' }), secret);
    expect(verifySessionToken(invite, secret, 'session', now)).toEqual({
      ok: false,
      reason: 'wrong_kind',
    });
  });

  test.each(['', 'abc', 'a.b.c', '..', `${'x'.repeat(5000)}.y`])(
    'refuse malformed input %#',
    (token) => {
      expect(verifySessionToken(token, secret, 'invite', now).ok).toBe(false);
    },
  );
});
