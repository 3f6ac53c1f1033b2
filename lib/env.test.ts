import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

const { DEFAULT_PREQUEL_API_URL, parseAppEnv, parseServerEnv, parseSessionEnv } =
  await import('./env');

describe('parseServerEnv', () => {
  it('uses the local engine by default and trims a trailing slash', () => {
    expect(parseServerEnv({ PREQUEL_API_KEY: 'k' })).toEqual({
      ok: true,
      data: { PREQUEL_API_URL: DEFAULT_PREQUEL_API_URL, PREQUEL_API_KEY: 'k' },
    });
    expect(
      parseServerEnv({ PREQUEL_API_URL: 'https://api.prequel.co/', PREQUEL_API_KEY: 'k' }),
    ).toMatchObject({
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
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'not_configured', variables: ['PREQUEL_API_URL'] },
    });
  });
});

const base = { INLET_SESSION_SECRET: 's'.repeat(32), INLET_EMBED_SECRET: 'e'.repeat(24) };

describe('the embed-session settings', () => {
  it('default to 8-hour sessions and no framing origins', () => {
    expect(parseSessionEnv(base)).toEqual({
      ok: true,
      data: { ...base, INLET_EMBED_ORIGINS: [], INLET_SESSION_MINUTES: 480 },
    });
  });

  it('normalise the framing origins', () => {
    const result = parseSessionEnv({
      ...base,
      INLET_EMBED_ORIGINS: 'https://app.example.com/, http://localhost:5173',
    });
    expect(result.ok && result.data.INLET_EMBED_ORIGINS).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
  });

  it('refuse a path or a scheme where an origin belongs, and say which variable', () => {
    for (const bad of ['https://app.example.com/embed', 'javascript:alert(1)', '*']) {
      const result = parseSessionEnv({ ...base, INLET_EMBED_ORIGINS: bad });
      expect(result).toMatchObject({
        ok: false,
        message: expect.stringContaining('INLET_EMBED_ORIGINS'),
      });
    }
  });

  it('say what is missing when the secrets are not set', () => {
    expect(parseSessionEnv({})).toMatchObject({
      ok: false,
      message: expect.stringMatching(/INLET_SESSION_SECRET.*INLET_EMBED_SECRET/),
    });
  });
});

describe("the app's own settings", () => {
  it('are all optional, and an empty value is the same as none', () => {
    const unset = { INLET_EGRESS_ADDRESSES: [], INLET_DEMO: false };
    expect(parseAppEnv({})).toEqual(unset);
    const blank = [
      'INLET_APP_URL',
      'INLET_EGRESS_ADDRESSES',
      'INLET_SUPPORT_USERS',
      'INLET_DEMO',
      'DEMO_CONTROL_URL',
      'DEMO_SOURCE',
    ];
    expect(parseAppEnv(Object.fromEntries(blank.map((name) => [name, ' '])))).toEqual(unset);
  });

  it('turn the demo on only for exactly "true", and list the egress addresses', () => {
    expect(parseAppEnv({ INLET_DEMO: 'true' }).INLET_DEMO).toBe(true);
    expect(parseAppEnv({ INLET_DEMO: 'yes' }).INLET_DEMO).toBe(false);
    expect(
      parseAppEnv({ INLET_EGRESS_ADDRESSES: ' 203.0.113.7, ,198.51.100.0/24 ' })
        .INLET_EGRESS_ADDRESSES,
    ).toEqual(['203.0.113.7', '198.51.100.0/24']);
  });
});
