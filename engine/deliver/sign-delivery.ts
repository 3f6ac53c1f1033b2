// Pure: the headers that sign one delivery (api-contract.md §5), with node:crypto only.
import { createHash, createSign, type KeyObject } from 'node:crypto';

export interface DeliveryHeaders {
  'X-Prequel-Webhook-Timestamp': string;
  'X-Prequel-Webhook-Signature': string;
  'X-Prequel-Webhook-Digest': string;
  'X-Prequel-Import-Provider': string;
  'X-Prequel-Delivery-Id': string;
}

/**
 * Signature: hex RSA PKCS#1 v1.5 over SHA-256 of `timestamp + "." + body`; digest: hex SHA-256 of the body.
 * The timestamp is RFC 3339 (UTC, milliseconds).
 */
export function signDelivery(body: Buffer | string, options: { privateKey: KeyObject; providerId: string; deliveryId: string; now?: Date }): DeliveryHeaders {
  const raw = typeof body === 'string' ? Buffer.from(body) : body;
  const timestamp = (options.now ?? new Date()).toISOString();
  const signer = createSign('sha256');
  signer.update(`${timestamp}.`);
  signer.update(raw);
  return {
    'X-Prequel-Webhook-Timestamp': timestamp,
    'X-Prequel-Webhook-Signature': signer.sign(options.privateKey, 'hex'),
    'X-Prequel-Webhook-Digest': createHash('sha256').update(raw).digest('hex'),
    'X-Prequel-Import-Provider': options.providerId,
    'X-Prequel-Delivery-Id': options.deliveryId,
  };
}

/** Stable across retries of the same record version, different for any other record, version or stream. */
export function deliveryId(streamId: string, recordId: string, version: number | string): string {
  return createHash('sha256').update(`${streamId}\u0000${recordId}\u0000${version}`).digest('hex').slice(0, 32);
}
