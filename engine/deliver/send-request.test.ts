import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { offlineLookup } from '../testing/offline-lookup';
import { sendRequest } from './send-request';

let server: http.Server;
let base: string;
const received: {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      const path = req.url ?? '/';
      if (path === '/ok') return res.end('{"ok":true}');
      if (path === '/redirect') {
        res.writeHead(302, { Location: '/ok' });
        return res.end();
      }
      if (path === '/slow-down') {
        res.writeHead(429, { 'Retry-After': '7' });
        return res.end();
      }
      if (path === '/stall') return; // never answers
      if (path === '/drop') return req.socket.destroy();
      if (path === '/huge') {
        res.writeHead(500);
        const chunk = Buffer.alloc(1024 * 1024, 'x');
        for (let i = 0; i < 100; i++) if (!res.write(chunk)) break;
        return res.end();
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const open = { lookup: offlineLookup, allowPrivateHosts: true };
const request = (path: string) => ({
  method: 'POST',
  url: `${base}${path}`,
  headers: { 'Content-Type': 'application/json' },
  body: '{"id":"1"}',
});

describe('sending a delivery', () => {
  test('posts the body with the signature headers and reports the status', async () => {
    const result = await sendRequest(request('/ok'), {
      policy: open,
      headers: { 'X-Prequel-Delivery-Id': 'abc' },
    });
    expect(result.outcome).toEqual({ kind: 'response', status: 200, retryAfter: null });
    expect(result.responseSnippet).toBe('{"ok":true}');
    const last = received.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', url: '/ok', body: '{"id":"1"}' });
    expect(last.headers['x-prequel-delivery-id']).toBe('abc');
  });

  test('never follows a redirect', async () => {
    const before = received.length;
    const result = await sendRequest(request('/redirect'), { policy: open });
    expect(result.outcome).toMatchObject({ kind: 'response', status: 302 });
    expect(received.length - before).toBe(1);
  });

  test('passes Retry-After on', async () => {
    expect((await sendRequest(request('/slow-down'), { policy: open })).outcome).toEqual({
      kind: 'response',
      status: 429,
      retryAfter: '7',
    });
  });

  test('times out an endpoint that accepts and never answers', async () => {
    const result = await sendRequest(request('/stall'), { policy: open, timeoutMs: 300 });
    expect(result.outcome).toEqual({ kind: 'timeout', afterMs: 300 });
    expect(result.durationMs).toBeLessThan(2000);
  });

  test('reports a dropped connection and a refused one', async () => {
    expect((await sendRequest(request('/drop'), { policy: open })).outcome.kind).toBe(
      'connection_error',
    );
    const refused = await sendRequest(
      { ...request('/ok'), url: 'http://127.0.0.1:1/x' },
      { policy: open },
    );
    expect(refused.outcome).toMatchObject({ kind: 'connection_error', code: 'ECONNREFUSED' });
  });

  test('reads at most 64 KB of a huge answer', async () => {
    const result = await sendRequest(request('/huge'), { policy: open });
    expect(result.outcome).toMatchObject({ kind: 'response', status: 500 });
    expect(result.responseSnippet.length).toBeLessThanOrEqual(64 * 1024);
  });

  test('keeps connections alive, but a connection only ever carries requests for the address its host was vetted to', async () => {
    // One server on every loopback address, noting which address and which connection each request came in on.
    const seen: { address: string; connection: number }[] = [];
    const sockets = new Map<unknown, number>();
    const anywhere = http.createServer((req, res) => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, sockets.size);
      seen.push({ address: req.socket.localAddress ?? '', connection: sockets.get(req.socket)! });
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((resolve) => anywhere.listen(0, '0.0.0.0', resolve));
    try {
      let answer = '127.0.0.1';
      const moving = { lookup: async () => [answer], allowPrivateHosts: true };
      const deliver = () =>
        sendRequest(
          {
            ...request('/'),
            url: `http://receiver.example.com:${(anywhere.address() as AddressInfo).port}/`,
          },
          { policy: moving },
        );
      for (let i = 0; i < 3; i++) expect((await deliver()).outcome).toMatchObject({ status: 200 });
      // The name now resolves elsewhere: the open connection to the old address is not used for it.
      answer = '127.0.0.2';
      expect((await deliver()).outcome).toMatchObject({ status: 200 });
      expect(seen).toEqual([
        { address: '127.0.0.1', connection: 0 },
        { address: '127.0.0.1', connection: 0 },
        { address: '127.0.0.1', connection: 0 },
        { address: '127.0.0.2', connection: 1 },
      ]);
    } finally {
      anywhere.closeAllConnections();
      anywhere.close();
    }
  });

  test('refuses hosts the policy forbids without connecting', async () => {
    const before = received.length;
    const strict = await sendRequest(request('/ok'), {
      policy: { lookup: offlineLookup, allowPrivateHosts: false },
    });
    expect(strict.outcome).toEqual({ kind: 'connection_error', code: 'forbidden_address' });
    const metadata = await sendRequest(
      { ...request('/ok'), url: 'http://169.254.169.254/latest/meta-data' },
      { policy: open },
    );
    expect(metadata.outcome).toEqual({ kind: 'connection_error', code: 'forbidden_address' });
    const unknown = await sendRequest(
      { ...request('/ok'), url: 'http://receiver.acme.example.com/x' },
      { policy: open },
    );
    expect(unknown.outcome).toMatchObject({ kind: 'connection_error', code: 'not_resolvable' });
    expect(received.length).toBe(before);
  });
});
