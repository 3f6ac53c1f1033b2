import { describe, expect, test } from 'vitest';
import { parseSessionEnv } from './session-env';

const base = { INLET_SESSION_SECRET: 's'.repeat(32), INLET_EMBED_SECRET: 'e'.repeat(24) };

describe('the embed-session settings', () => {
  test('default to 8-hour sessions and no framing origins', () => {
    expect(parseSessionEnv(base)).toEqual({ ok: true, data: { ...base, INLET_EMBED_ORIGINS: [], INLET_SESSION_MINUTES: 480 } });
  });

  test('normalise the framing origins', () => {
    const result = parseSessionEnv({ ...base, INLET_EMBED_ORIGINS: 'https://app.example.com/, http://localhost:5173' });
    expect(result.ok && result.data.INLET_EMBED_ORIGINS).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  test('refuse a path or a scheme where an origin belongs, and say which variable', () => {
    for (const bad of ['https://app.example.com/embed', 'javascript:alert(1)', '*']) {
      const result = parseSessionEnv({ ...base, INLET_EMBED_ORIGINS: bad });
      expect(result).toMatchObject({ ok: false, message: expect.stringContaining('INLET_EMBED_ORIGINS') });
    }
  });

  test('say what is missing when the secrets are not set', () => {
    expect(parseSessionEnv({})).toMatchObject({ ok: false, message: expect.stringMatching(/INLET_SESSION_SECRET.*INLET_EMBED_SECRET/) });
  });
});
