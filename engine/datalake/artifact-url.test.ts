import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { signArtifactUrl, verifyArtifactSignature } from './artifact-url';

const secret = randomBytes(32);
const datalakeId = '0194d3c2-8f1e-7a00-b000-000000000001';
const key = 'artifacts/acme/load-1/batch-00001.csv';
const expiresAt = 1_900_000_000;

function parse(url: string) {
  const parsed = new URL(url);
  const [, , , id, ...rest] = parsed.pathname.split('/');
  return {
    datalakeId: id!,
    key: rest.join('/'),
    expires: parsed.searchParams.get('expires') ?? undefined,
    signature: parsed.searchParams.get('signature') ?? undefined,
  };
}

describe('signed artifact links', () => {
  const url = signArtifactUrl({
    baseUrl: 'https://engine.example.com/',
    datalakeId,
    key,
    expiresAt,
    secret,
  });

  test('name the datalake, the key and the expiry, under /public/artifacts/', () => {
    expect(url).toMatch(
      new RegExp(
        `^https://engine\\.example\\.com/public/artifacts/${datalakeId}/artifacts/acme/load-1/batch-00001\\.csv\\?expires=${expiresAt}&signature=[0-9a-f]{64}$`,
      ),
    );
  });

  test('verify until they expire', () => {
    const link = parse(url);
    expect(verifyArtifactSignature({ ...link, secret, nowMs: expiresAt * 1000 - 1 })).toEqual({
      ok: true,
      expiresAt,
    });
    expect(verifyArtifactSignature({ ...link, secret, nowMs: expiresAt * 1000 })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  test('refuse a link moved to another file, another datalake, a later expiry, or signed with another key', () => {
    const link = parse(url);
    const now = expiresAt * 1000 - 60_000;
    const refused = { ok: false, reason: 'invalid_signature' };
    expect(
      verifyArtifactSignature({
        ...link,
        key: 'artifacts/acme/load-1/batch-00002.csv',
        secret,
        nowMs: now,
      }),
    ).toEqual(refused);
    expect(
      verifyArtifactSignature({
        ...link,
        datalakeId: '0194d3c2-8f1e-7a00-b000-000000000002',
        secret,
        nowMs: now,
      }),
    ).toEqual(refused);
    expect(
      verifyArtifactSignature({ ...link, expires: String(expiresAt + 3600), secret, nowMs: now }),
    ).toEqual(refused);
    expect(verifyArtifactSignature({ ...link, secret: randomBytes(32), nowMs: now })).toEqual(
      refused,
    );
    const flipped = link.signature!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(verifyArtifactSignature({ ...link, signature: flipped, secret, nowMs: now })).toEqual(
      refused,
    );
  });

  test('treat malformed links as invalid signatures', () => {
    const link = parse(url);
    const now = expiresAt * 1000 - 60_000;
    for (const broken of [
      { ...link, signature: undefined },
      { ...link, signature: link.signature!.slice(0, 10) },
      { ...link, signature: link.signature!.toUpperCase() },
      { ...link, expires: undefined },
      { ...link, expires: '-1' },
      { ...link, expires: '1e12' },
      { ...link, key: '../secrets' },
    ]) {
      expect(verifyArtifactSignature({ ...broken, secret, nowMs: now })).toEqual({
        ok: false,
        reason: 'invalid_signature',
      });
    }
  });

  test('are never made for invalid keys', () => {
    expect(() =>
      signArtifactUrl({ baseUrl: 'http://x', datalakeId, key: '../etc/passwd', expiresAt, secret }),
    ).toThrow();
  });
});
