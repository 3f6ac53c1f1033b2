// The headers that sign one delivery (api-contract.md §5), with node:crypto only.
import { createHash, type KeyObject, sign } from 'node:crypto';
import os from 'node:os';
import { Semaphore } from './destination-throttle';

export interface DeliveryHeaders {
  'X-Prequel-Webhook-Timestamp': string;
  'X-Prequel-Webhook-Signature': string;
  'X-Prequel-Webhook-Digest': string;
  'X-Prequel-Import-Provider': string;
  'X-Prequel-Delivery-Id': string;
}

// RSA signing is the most expensive CPU work of a delivery. On the thread pool it overlaps with the
// event loop; one signing thread per core (the pool has 4 threads) keeps the others free for file
// and compression work. Leaving the event loop a core of its own was measured slower: with 8
// records in flight the event loop mostly waits for signatures, and a second signing thread on two
// cores delivered records about 20% faster (npm run bench:load).
const signing = new Semaphore(os.availableParallelism());

function rsaSign(data: Buffer, privateKey: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    sign('sha256', data, privateKey, (error, signature) =>
      error ? reject(error) : resolve(signature),
    ),
  );
}

/**
 * Signature: hex RSA PKCS#1 v1.5 over SHA-256 of `timestamp + "." + body`; digest: hex SHA-256 of
 * the body. The timestamp is RFC 3339 (UTC, milliseconds). The RSA operation runs on libuv's thread
 * pool (crypto.sign with a callback), so concurrent deliveries sign while others wait on the
 * network.
 */
export async function signDelivery(
  body: Buffer | string,
  options: { privateKey: KeyObject; providerId: string; deliveryId: string; now?: Date },
): Promise<DeliveryHeaders> {
  const raw = typeof body === 'string' ? Buffer.from(body) : body;
  await signing.acquire();
  let timestamp: string;
  let signature: Buffer;
  try {
    timestamp = (options.now ?? new Date()).toISOString();
    signature = await rsaSign(
      Buffer.concat([Buffer.from(`${timestamp}.`), raw]),
      options.privateKey,
    );
  } finally {
    signing.release();
  }
  return {
    'X-Prequel-Webhook-Timestamp': timestamp,
    'X-Prequel-Webhook-Signature': signature.toString('hex'),
    'X-Prequel-Webhook-Digest': createHash('sha256').update(raw).digest('hex'),
    'X-Prequel-Import-Provider': options.providerId,
    'X-Prequel-Delivery-Id': options.deliveryId,
  };
}

/**
 * Stable across retries of the same record version, different for any other record, version or
 * stream.
 */
export function deliveryId(streamId: string, recordId: string, version: number | string): string {
  return createHash('sha256')
    .update(`${streamId}\u0000${recordId}\u0000${version}`)
    .digest('hex')
    .slice(0, 32);
}
