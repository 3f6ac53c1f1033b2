// The contract's signing recipe (api-contract §5), written here independently of the engine's
// signer, so receiver tests check the receiver against the contract rather than against the code
// the receiver is meant to check.
import { constants, createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

export interface TestKeys {
  privateKey: KeyObject;
  publicKeyPem: string;
}

export function generateTestKeys(): TestKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export interface SignInput {
  body: string | Buffer;
  privateKey: KeyObject;
  provider?: string;
  deliveryId?: string;
  /** RFC 3339; defaults to now. */
  timestamp?: string;
}

export function signDelivery(input: SignInput): Record<string, string> {
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const timestamp = input.timestamp ?? new Date().toISOString();
  const signature = sign('sha256', Buffer.concat([Buffer.from(`${timestamp}.`), body]), {
    key: input.privateKey,
    padding: constants.RSA_PKCS1_PADDING,
  });
  return {
    'content-type': 'application/json',
    'x-prequel-webhook-timestamp': timestamp,
    'x-prequel-webhook-signature': signature.toString('hex'),
    'x-prequel-webhook-digest': createHash('sha256').update(body).digest('hex'),
    'x-prequel-import-provider': input.provider ?? 'acme',
    'x-prequel-delivery-id':
      input.deliveryId ??
      `delivery-${createHash('sha256').update(body).digest('hex').slice(0, 16)}`,
  };
}

/**
 * POSTs (or another method) a signed body; `headers` override or, when undefined, remove signed
 * headers.
 */
export async function postSigned(
  url: string,
  input: Omit<SignInput, 'body'> & {
    body: unknown;
    method?: string;
    headers?: Record<string, string | undefined>;
    signal?: AbortSignal;
    redirect?: RequestRedirect;
  },
): Promise<Response> {
  const raw = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const headers: Record<string, string> = { ...signDelivery({ ...input, body: raw }) };
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return fetch(url, {
    method: input.method ?? 'POST',
    headers,
    body: raw,
    signal: input.signal,
    redirect: input.redirect ?? 'manual',
  });
}
