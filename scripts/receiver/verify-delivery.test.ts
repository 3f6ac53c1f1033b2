import { createHash, generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTestKeys, signDelivery, type TestKeys } from './testing/sign-delivery';
import {
  DELIVERY_HEADERS,
  parseEnginePublicKey,
  parseRfc3339,
  verifyDelivery,
} from './verify-delivery';

const NOW = Date.parse('2026-11-26T10:00:00.000Z');
const body = JSON.stringify({ id: '42', email: 'ada@example.com' });

let keys: TestKeys;
let otherKeys: TestKeys;
beforeAll(() => {
  keys = generateTestKeys();
  otherKeys = generateTestKeys();
});

const signed = (overrides: { body?: string; timestamp?: string; key?: TestKeys } = {}) =>
  signDelivery({
    body: overrides.body ?? body,
    privateKey: (overrides.key ?? keys).privateKey,
    timestamp: overrides.timestamp ?? '2026-11-26T10:00:00.000000Z',
    deliveryId: 'd-1',
    provider: 'acme',
  });

const check = (
  headers: Record<string, string | undefined>,
  rawBody: string = body,
  extra: { toleranceSeconds?: number } = {},
) => verifyDelivery({ headers, rawBody, publicKey: keys.publicKeyPem, nowMs: NOW, ...extra });

describe('verifyDelivery', () => {
  it('accepts a delivery signed as the contract says, and names its provider and delivery id', () => {
    expect(check(signed())).toEqual({
      ok: true,
      timestamp: '2026-11-26T10:00:00.000000Z',
      provider: 'acme',
      deliveryId: 'd-1',
    });
  });

  it('reads fetch Headers as well as Node headers, and takes a parsed key', () => {
    const verdict = verifyDelivery({
      headers: new Headers(signed()),
      rawBody: Buffer.from(body),
      publicKey: parseEnginePublicKey(keys.publicKeyPem),
      nowMs: NOW,
    });
    expect(verdict.ok).toBe(true);
  });

  it('accepts RFC 3339 timestamps with offsets and microseconds', () => {
    expect(check(signed({ timestamp: '2026-11-26T11:00:00.123456+01:00' })).ok).toBe(true);
  });

  it('rejects a tampered body by its digest', () => {
    expect(check(signed(), body.replace('42', '43'))).toMatchObject({
      ok: false,
      reason: 'digest_mismatch',
    });
  });

  it('rejects a tampered body whose digest was recomputed by its signature', () => {
    const tampered = body.replace('42', '43');
    const headers = {
      ...signed(),
      'x-prequel-webhook-digest': createHash('sha256').update(tampered).digest('hex'),
    };
    expect(check(headers, tampered)).toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it('rejects a wrong digest header', () => {
    expect(check({ ...signed(), 'x-prequel-webhook-digest': 'ab'.repeat(32) })).toMatchObject({
      ok: false,
      reason: 'digest_mismatch',
    });
    expect(check({ ...signed(), 'x-prequel-webhook-digest': 'not-hex' })).toMatchObject({
      ok: false,
      reason: 'digest_mismatch',
    });
  });

  it('rejects an altered or malformed signature', () => {
    const headers = signed();
    const signature = headers['x-prequel-webhook-signature']!;
    const flipped = (signature[0] === '0' ? '1' : '0') + signature.slice(1);
    expect(check({ ...headers, 'x-prequel-webhook-signature': flipped })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
    expect(check({ ...headers, 'x-prequel-webhook-signature': 'zz' })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
    expect(
      check({ ...headers, 'x-prequel-webhook-signature': signature.slice(0, 100) }),
    ).toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it('rejects a delivery signed with another key', () => {
    expect(check(signed({ key: otherKeys }))).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('rejects a timestamp changed after signing, even one within tolerance', () => {
    expect(
      check({ ...signed(), 'x-prequel-webhook-timestamp': '2026-11-26T10:00:01.000000Z' }),
    ).toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it('rejects stale and future timestamps beyond the tolerance, both ways', () => {
    expect(check(signed({ timestamp: '2026-11-26T09:55:01Z' })).ok).toBe(true);
    expect(check(signed({ timestamp: '2026-11-26T09:54:59Z' }))).toMatchObject({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(check(signed({ timestamp: '2026-11-26T10:04:59Z' })).ok).toBe(true);
    expect(check(signed({ timestamp: '2026-11-26T10:05:01Z' }))).toMatchObject({
      ok: false,
      reason: 'future_timestamp',
    });
    expect(
      check(signed({ timestamp: '2026-11-26T09:59:00Z' }), body, { toleranceSeconds: 30 }),
    ).toMatchObject({ ok: false, reason: 'stale_timestamp' });
  });

  it('rejects timestamps that are not RFC 3339', () => {
    for (const timestamp of [
      '2026-02-31T10:00:00Z',
      '2026-11-26',
      '1795687200',
      'Thu, 26 Nov 2026 10:00:00 GMT',
      '2026-11-26T10:00:00',
    ]) {
      expect(check(signed({ timestamp })), timestamp).toMatchObject({
        ok: false,
        reason: 'invalid_timestamp',
      });
    }
  });

  it.each(Object.values(DELIVERY_HEADERS))(
    'rejects a delivery without %s, naming the header',
    (header) => {
      const verdict = check({ ...signed(), [header]: undefined });
      expect(verdict.ok).toBe(false);
      if (verdict.ok) return;
      expect(verdict.reason).toBe('missing_header');
      expect(verdict.message.toLowerCase()).toContain(header);
    },
  );

  it('rejects a delivery id that could not be a log key', () => {
    expect(check({ ...signed(), 'x-prequel-delivery-id': 'x'.repeat(201) })).toMatchObject({
      ok: false,
      reason: 'invalid_header',
    });
  });
});

describe('parseEnginePublicKey', () => {
  it('refuses a key that cannot make PKCS#1 v1.5 signatures', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() =>
      parseEnginePublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    ).toThrow(/must be RSA/);
  });
});

describe('parseRfc3339', () => {
  it('keeps the instant of offsets and fractions', () => {
    expect(parseRfc3339('2026-11-26T11:30:00.5+01:30')).toBe(
      Date.parse('2026-11-26T10:00:00.500Z'),
    );
    expect(parseRfc3339('2026-11-26t10:00:00z')).toBe(NOW);
    expect(parseRfc3339('2026-13-01T00:00:00Z')).toBeNull();
    expect(parseRfc3339('2026-11-26T24:00:00Z')).toBeNull();
  });
});
