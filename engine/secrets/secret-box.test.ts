import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createSecretBox, parseEncryptionKey, SecretDecryptError } from './secret-box';
import { mergeSecrets, splitSecrets } from './split-secrets';

describe('the secret box', () => {
  const box = createSecretBox(randomBytes(32));

  test('opens what it sealed for the same binding', () => {
    const sealed = box.seal('source:1', { 'postgres.password_auth.password': 'hunter2' });
    expect(box.open('source:1', sealed)).toEqual({ 'postgres.password_auth.password': 'hunter2' });
    expect(sealed.toString('latin1')).not.toContain('hunter2');
  });

  test('refuses a ciphertext moved to another record, a tampered one, or another key', () => {
    const sealed = box.seal('source:1', { password: 'hunter2' });
    expect(() => box.open('source:2', sealed)).toThrow(SecretDecryptError);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => box.open('source:1', tampered)).toThrow(SecretDecryptError);
    expect(() => createSecretBox(randomBytes(32)).open('source:1', sealed)).toThrow(
      SecretDecryptError,
    );
    expect(() => box.open('source:1', Buffer.from([1, 2, 3]))).toThrow(SecretDecryptError);
  });

  test('uses a fresh IV for every seal', () => {
    expect(box.seal('a', { password: 'x' }).equals(box.seal('a', { password: 'x' }))).toBe(false);
  });

  test('derives a distinct, stable key per purpose that is not the master key', () => {
    const master = randomBytes(32);
    const derived = createSecretBox(master).deriveKey('inlet/artifact-url/v1');
    expect(derived).toHaveLength(32);
    expect(createSecretBox(master).deriveKey('inlet/artifact-url/v1').equals(derived)).toBe(true);
    expect(createSecretBox(master).deriveKey('another purpose').equals(derived)).toBe(false);
    expect(
      createSecretBox(randomBytes(32)).deriveKey('inlet/artifact-url/v1').equals(derived),
    ).toBe(false);
    expect(derived.equals(master)).toBe(false);
  });

  test('accepts only 32-byte base64 keys', () => {
    expect(parseEncryptionKey(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(() => parseEncryptionKey(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

describe('splitSecrets', () => {
  test('removes secret fields at any depth and puts them back', () => {
    const config = {
      name: 'pg',
      postgres: { host: 'h', password_auth: { username: 'u', password: 'p' } },
      s3: { secret_key: 'k', access_id: 'a' },
    };
    const { publicPart, secrets } = splitSecrets(config);
    expect(publicPart).toEqual({
      name: 'pg',
      postgres: { host: 'h', password_auth: { username: 'u' } },
      s3: { access_id: 'a' },
    });
    expect(secrets).toEqual({ 'postgres.password_auth.password': 'p', 's3.secret_key': 'k' });
    expect(mergeSecrets(publicPart, secrets)).toEqual(config);
  });
});
