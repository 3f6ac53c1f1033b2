// Download links for objects of local datalakes, which the engine serves itself: an HMAC over
// datalake, key and expiry, so a link cannot be moved to another file, another datalake or a later
// time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isValidLakeKey } from './validate-lake-key';

export const ARTIFACT_PATH_PREFIX = '/public/artifacts';
/**
 * HKDF info for SecretBox.deriveKey: the signing key is derived from, never equal to, the
 * encryption key.
 */
export const ARTIFACT_SIGNING_PURPOSE = 'inlet/artifact-url/v1';

function signatureOf(secret: Buffer, datalakeId: string, key: string, expiresAt: number): Buffer {
  return createHmac('sha256', secret)
    .update(`inlet-artifact-v1\n${datalakeId}\n${key}\n${expiresAt}`)
    .digest();
}

export function artifactPath(datalakeId: string, key: string): string {
  const keyPath = key.split('/').map(encodeURIComponent).join('/');
  return `${ARTIFACT_PATH_PREFIX}/${encodeURIComponent(datalakeId)}/${keyPath}`;
}

/** `expiresAt` is in Unix seconds. */
export function signArtifactUrl(input: {
  baseUrl: string;
  datalakeId: string;
  key: string;
  expiresAt: number;
  secret: Buffer;
}): string {
  const { baseUrl, datalakeId, key, expiresAt, secret } = input;
  if (!isValidLakeKey(key)) throw new Error(`Cannot sign a link to the invalid key "${key}".`);
  if (!Number.isSafeInteger(expiresAt)) throw new Error('expiresAt must be whole Unix seconds.');
  const signature = signatureOf(secret, datalakeId, key, expiresAt).toString('hex');
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}${artifactPath(datalakeId, key)}?expires=${expiresAt}&signature=${signature}`;
}

export type ArtifactSignatureCheck =
  { ok: true; expiresAt: number } | { ok: false; reason: 'invalid_signature' | 'expired' };

/**
 * Constant-time check of a link's signature, then of its expiry; a malformed link is an invalid
 * signature.
 */
export function verifyArtifactSignature(input: {
  datalakeId: string;
  key: string;
  expires: string | undefined;
  signature: string | undefined;
  secret: Buffer;
  nowMs?: number;
}): ArtifactSignatureCheck {
  const { datalakeId, key, expires, signature, secret } = input;
  if (
    !expires ||
    !/^\d{1,15}$/.test(expires) ||
    !signature ||
    !/^[0-9a-f]{64}$/.test(signature) ||
    !isValidLakeKey(key)
  ) {
    return { ok: false, reason: 'invalid_signature' };
  }
  const expiresAt = Number(expires);
  const expected = signatureOf(secret, datalakeId, key, expiresAt);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex')))
    return { ok: false, reason: 'invalid_signature' };
  if ((input.nowMs ?? Date.now()) >= expiresAt * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, expiresAt };
}
