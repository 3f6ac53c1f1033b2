import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

const { parseServerEnv, DEFAULT_PREQUEL_API_URL } = await import('./env');

describe('parseServerEnv', () => {
  it('uses the local engine by default and trims a trailing slash', () => {
    expect(parseServerEnv({ PREQUEL_API_KEY: 'k' })).toEqual({
      ok: true,
      data: { PREQUEL_API_URL: DEFAULT_PREQUEL_API_URL, PREQUEL_API_KEY: 'k' },
    });
    expect(parseServerEnv({ PREQUEL_API_URL: 'https://api.prequel.co/', PREQUEL_API_KEY: 'k' })).toMatchObject({
      ok: true,
      data: { PREQUEL_API_URL: 'https://api.prequel.co' },
    });
  });

  it('says which variable to set when the key is missing or blank', () => {
    for (const source of [{}, { PREQUEL_API_KEY: '  ' }]) {
      const result = parseServerEnv(source);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.variables).toEqual(['PREQUEL_API_KEY']);
      expect(result.error.message).toMatch(/^Inlet is not configured: set `PREQUEL_API_KEY`/);
    }
  });

  it('refuses an API address that is not http(s)', () => {
    const result = parseServerEnv({ PREQUEL_API_URL: 'ftp://example.com', PREQUEL_API_KEY: 'k' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_configured', variables: ['PREQUEL_API_URL'] } });
  });
});
