import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
const { limitSessionCalls, SESSION_CALLS } = await import('./session-call-limit');

describe('each session’s share of the API key', () => {
  it('lets a session make its calls, then tells it to wait; other sessions are not affected', async () => {
    const busy = { sid: 'busy-session-0123456789' };
    for (let call = 0; call < SESSION_CALLS.points; call++)
      expect(await limitSessionCalls(busy)).toBeNull();
    const refused = await limitSessionCalls(busy);
    expect(refused).toMatchObject({
      code: 'rate_limited',
      status: 429,
      message: expect.stringMatching(/wait \d+ s/),
    });
    expect(await limitSessionCalls({ sid: 'quiet-session-0123456789' })).toBeNull();
  });
});
