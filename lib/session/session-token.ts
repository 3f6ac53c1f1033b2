// Embed session tokens: what a host's backend mints for one provider, and what the browser's cookie
// holds. Stateless and HMAC-signed, so the app stays stateless; short-lived, so a leaked invite is
// worth little.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const SESSION_ROLES = ['customer', 'support'] as const;
/** `credentials`: a hand-off link for a DBA that reaches the connect step and nothing else. */
export const SESSION_SCOPES = ['full', 'credentials'] as const;

export const SessionClaimsSchema = z.object({
  v: z.literal(1),
  /** invite: exchanged once for a cookie at /connect?session=…; session: the cookie itself. */
  kind: z.enum(['invite', 'session']),
  /** Random id, shared by an invite and the session made from it (audit trail). */
  sid: z.string().min(16),
  role: z.enum(SESSION_ROLES),
  /**
   * The provider a customer session may touch; absent for support sessions, which see every tenant.
   */
  providerId: z.string().min(1).nullable(),
  scope: z.enum(SESSION_SCOPES),
  /** Who the host says this is (shown in the audit log), never trusted for access. */
  actor: z.string().max(200).nullable(),
  /** Seconds since the epoch. */
  exp: z.number().int(),
});

export type SessionClaims = z.infer<typeof SessionClaimsSchema>;

export type TokenCheck =
  | { ok: true; claims: SessionClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'wrong_kind' };

const encode = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const mac = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(`inlet-session-v1.${payload}`).digest();

export function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}

export function signSessionToken(claims: SessionClaims, secret: string): string {
  const payload = encode(JSON.stringify(SessionClaimsSchema.parse(claims)));
  return `${payload}.${encode(mac(secret, payload))}`;
}

export function verifySessionToken(
  token: string,
  secret: string,
  expected: SessionClaims['kind'],
  nowMs = Date.now(),
): TokenCheck {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || token.length > 4096)
    return { ok: false, reason: 'malformed' };
  const presented = Buffer.from(signature, 'base64url');
  const wanted = mac(secret, payload);
  if (presented.length !== wanted.length || !timingSafeEqual(presented, wanted))
    return { ok: false, reason: 'bad_signature' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = SessionClaimsSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (parsed.data.kind !== expected) return { ok: false, reason: 'wrong_kind' };
  if (parsed.data.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims: parsed.data };
}
