// Encrypts write-only secrets at rest (AES-256-GCM) bound to the row they belong to.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretDecryptError extends Error {
  constructor() {
    super(
      'Stored credentials could not be decrypted: they were written with another key or for ' +
        'another record.',
    );
  }
}

export interface SecretBox {
  /**
   * `binding` (e.g. `source:<id>`) is authenticated but not stored: a ciphertext moved to another
   * row fails to open.
   */
  seal(binding: string, secrets: Record<string, unknown>): Buffer;
  open(binding: string, sealed: Buffer): Record<string, unknown>;
  /**
   * A 32-byte key for another use (e.g. signing links), derived with HKDF-SHA256; `purpose` is the
   * HKDF info.
   */
  deriveKey(purpose: string): Buffer;
}

export function parseEncryptionKey(encoded: string): Buffer {
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32)
    throw new Error(
      'INLET_ENCRYPTION_KEY must be 32 bytes encoded in base64 (openssl rand -base64 32).',
    );
  return key;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The secret box needs a 32-byte key.');
  return {
    seal(binding, secrets) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(`inlet:v${VERSION}:${binding}`));
      const ciphertext = Buffer.concat([
        cipher.update(JSON.stringify(secrets), 'utf8'),
        cipher.final(),
      ]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
    },
    open(binding, sealed) {
      if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION)
        throw new SecretDecryptError();
      const iv = sealed.subarray(1, 1 + IV_BYTES);
      const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(`inlet:v${VERSION}:${binding}`));
      decipher.setAuthTag(tag);
      try {
        const plaintext = Buffer.concat([
          decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]);
        return JSON.parse(plaintext.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new SecretDecryptError();
      }
    },
    deriveKey(purpose) {
      return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), purpose, 32));
    },
  };
}
