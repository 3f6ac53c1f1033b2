import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

type Reply = { status: number; body: string };

let server: Server | undefined;

/** A real HTTP server standing in for the Import API; it records the headers it received. */
async function startApi(reply: Reply): Promise<{ url: string; received: IncomingHttpHeaders[] }> {
  const received: IncomingHttpHeaders[] = [];
  server = createServer((request, response) => {
    received.push(request.headers);
    response.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(reply.body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** The client reads its environment once, so each test loads a fresh copy with its own. */
async function loadClient(env: Record<string, string | undefined>) {
  vi.resetModules();
  vi.unstubAllEnvs();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return import('./client');
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

const engineBody = JSON.stringify({
  status: 'success',
  data: { service: 'inlet-engine', version: '0.1.0', api: 'prequel-import' },
  message: 'ok',
});

describe('calls made for a customer', () => {
  it('name the tenant in X-Inlet-Provider, so the engine limits each tenant apart; other calls do not', async () => {
    const api = await startApi({ status: 200, body: engineBody });
    const { getApiStatus } = await loadClient({
      PREQUEL_API_URL: api.url,
      PREQUEL_API_KEY: 'secret-key',
    });
    const { callFor } = await import('./caller');

    await callFor({ providerId: 'acme corp' }, () => getApiStatus());
    await getApiStatus();
    expect(api.received[0]?.['x-inlet-provider']).toBe('acme%20corp');
    expect(api.received[1]?.['x-inlet-provider']).toBeUndefined();
  });
});

describe('getApiStatus', () => {
  it('reports the engine it reached and sends the key in X-API-Key', async () => {
    const api = await startApi({ status: 200, body: engineBody });
    const { getApiStatus } = await loadClient({
      PREQUEL_API_URL: api.url,
      PREQUEL_API_KEY: 'secret-key',
    });

    expect(await getApiStatus()).toEqual({
      ok: true,
      data: { url: api.url, service: 'inlet-engine', version: '0.1.0' },
    });
    expect(api.received[0]?.['x-api-key']).toBe('secret-key');
  });

  it('accepts a hosted API that answers success without naming its service', async () => {
    const api = await startApi({
      status: 200,
      body: JSON.stringify({ status: 'success', data: 'welcome' }),
    });
    const { getApiStatus } = await loadClient({ PREQUEL_API_URL: api.url, PREQUEL_API_KEY: 'k' });

    expect(await getApiStatus()).toEqual({
      ok: true,
      data: { url: api.url, service: null, version: null },
    });
  });

  it('says the key was refused on 401', async () => {
    const api = await startApi({
      status: 401,
      body: JSON.stringify({ status: 'error', message: 'Unknown key.' }),
    });
    const { getApiStatus } = await loadClient({
      PREQUEL_API_URL: api.url,
      PREQUEL_API_KEY: 'wrong',
    });

    expect(await getApiStatus()).toEqual({
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'The API key was refused: check `PREQUEL_API_KEY`.',
        status: 401,
      },
    });
  });

  it('says how to start the API when nothing listens at its address', async () => {
    const api = await startApi({ status: 200, body: engineBody });
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const { getApiStatus } = await loadClient({ PREQUEL_API_URL: api.url, PREQUEL_API_KEY: 'k' });

    const result = await getApiStatus();
    expect(result).toMatchObject({ ok: false, error: { code: 'unreachable', status: null } });
    expect(!result.ok && result.error.message).toBe(
      `The Import API at ${api.url} is not reachable (connection refused): start it with \`npm start\` or set \`PREQUEL_API_URL\`.`,
    );
  });

  it("passes on the API's own message for other errors", async () => {
    const api = await startApi({
      status: 503,
      body: JSON.stringify({ status: 'error', message: 'Down for maintenance.' }),
    });
    const { getApiStatus } = await loadClient({ PREQUEL_API_URL: api.url, PREQUEL_API_KEY: 'k' });

    expect(await getApiStatus()).toEqual({
      ok: false,
      error: { code: 'api_error', message: 'Down for maintenance.', status: 503 },
    });
  });

  it('flags an answer that is not the Import API', async () => {
    const api = await startApi({ status: 200, body: '<html>a web page</html>' });
    const { getApiStatus } = await loadClient({ PREQUEL_API_URL: api.url, PREQUEL_API_KEY: 'k' });

    expect(await getApiStatus()).toMatchObject({
      ok: false,
      error: { code: 'invalid_response', status: 200 },
    });
  });

  it('explains what to set instead of calling the API when the key is missing', async () => {
    const { getApiStatus } = await loadClient({
      PREQUEL_API_URL: undefined,
      PREQUEL_API_KEY: undefined,
    });

    const result = await getApiStatus();
    expect(result).toMatchObject({ ok: false, error: { code: 'not_configured', status: null } });
    expect(!result.ok && result.error.message).toContain('`PREQUEL_API_KEY`');
  });
});
