// The engine behind an API that documents none of its extensions, as the hosted Prequel API
// answers: its OpenAPI document is a 404, so the app falls back to the documented calls. Every
// other request is passed through.
import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PlainApi {
  url: string;
  close(): Promise<void>;
}

export async function startPlainApi(engineUrl: string): Promise<PlainApi> {
  const server = createServer((incoming, outgoing) => {
    if (incoming.url === '/openapi.json') {
      outgoing.writeHead(404, { 'Content-Type': 'application/json' });
      outgoing.end('{"status":"error","message":"Not Found"}');
      return;
    }
    const target = new URL(incoming.url ?? '/', engineUrl);
    const headers = incoming.headers;
    const proxied = forward(target, { method: incoming.method, headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    incoming.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs `work`, recording the path of every request it sends to `apiUrl`. */
export async function countingCalls<T>(
  apiUrl: string,
  work: () => Promise<T>,
): Promise<{ result: T; calls: string[] }> {
  const calls: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.startsWith(apiUrl)) calls.push(url.slice(apiUrl.length));
    return realFetch(input, init);
  };
  try {
    return { result: await work(), calls };
  } finally {
    globalThis.fetch = realFetch;
  }
}
