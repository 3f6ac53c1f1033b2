import { createHash, createVerify, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { deliveryId, signDelivery } from './sign-delivery';
import { signingKey } from './signing-key';

let api: TestEngine;
beforeAll(async () => {
  api = await startTestEngine();
});
afterAll(() => api.close());

/** What a receiver does with nothing but node:crypto and the public key endpoint. */
function verify(publicKeyPem: string, headers: Record<string, string>, body: string) {
  const digestOk =
    createHash('sha256').update(body).digest('hex') === headers['X-Prequel-Webhook-Digest'];
  const verifier = createVerify('sha256');
  verifier.update(`${headers['X-Prequel-Webhook-Timestamp']}.${body}`);
  return digestOk && verifier.verify(publicKeyPem, headers['X-Prequel-Webhook-Signature']!, 'hex');
}

describe('delivery signatures', () => {
  test('verify with the public key served without an API key, and fail when anything is altered', async () => {
    const response = await fetch(`${api.baseUrl}/public/signatures/webhook-public-key`);
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { public_key: string } };
    expect(data.public_key).toMatch(/^-----BEGIN PUBLIC KEY-----/);

    const key = await signingKey(api.engine);
    const body = JSON.stringify({ id: '42', email: 'ada@example.com', name: 'Ada Lovelace ✓' });
    const headers = (await signDelivery(body, {
      privateKey: key.privateKey,
      providerId: 'acme',
      deliveryId: deliveryId('s', '42', 3),
    })) as unknown as Record<string, string>;
    expect(headers['X-Prequel-Webhook-Timestamp']).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
    );
    expect(headers['X-Prequel-Import-Provider']).toBe('acme');
    expect(verify(data.public_key, headers, body)).toBe(true);

    expect(verify(data.public_key, headers, body.replace('Ada', 'Eve'))).toBe(false);
    expect(
      verify(
        data.public_key,
        { ...headers, 'X-Prequel-Webhook-Timestamp': new Date(0).toISOString() },
        body,
      ),
    ).toBe(false);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(verify(other, headers, body)).toBe(false);
  });

  test('one key is shared by every engine on the database, and its private half is sealed at rest', async () => {
    const first = await signingKey(api.engine);
    const second = await startTestEngine({
      database: api.database,
      context: { secretBox: api.engine.secretBox },
    });
    try {
      const response = (await (
        await fetch(`${second.baseUrl}/public/signatures/webhook-public-key`)
      ).json()) as { data: { public_key: string } };
      expect(response.data.public_key).toBe(first.publicKeyPem);
    } finally {
      await second.close();
    }
    const stored = (
      await api.database.db.query<{ private_key: Buffer }>('select private_key from signing_keys')
    ).rows;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.private_key.toString('latin1')).not.toContain('PRIVATE KEY');
  });

  test('delivery ids are stable for a record version and differ for anything else', () => {
    expect(deliveryId('stream-1', '42', 3)).toBe(deliveryId('stream-1', '42', '3'));
    const variants = [
      deliveryId('stream-1', '42', 4),
      deliveryId('stream-1', '43', 3),
      deliveryId('stream-2', '42', 3),
      deliveryId('stream-1', '4', 23),
    ];
    expect(new Set([deliveryId('stream-1', '42', 3), ...variants]).size).toBe(5);
  });
});
