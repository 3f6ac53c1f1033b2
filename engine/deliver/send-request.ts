// Sends one signed delivery: the host vetted by the policy and the socket pinned to it, no redirects followed,
// a deadline on the whole exchange, and at most 64 KB of the answer read.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { vetHost, type HostPolicy } from '../net/host-policy';
import type { RenderedRequest } from './render-request';
import type { AttemptOutcome } from './retry-policy';

export interface SendOptions {
  policy: HostPolicy;
  timeoutMs?: number;
  /** Extra headers (the signature headers). */
  headers?: Record<string, string>;
}

export interface SendResult {
  outcome: AttemptOutcome;
  /** The start of the answer (for error messages); never more than 64 KB is read. */
  responseSnippet: string;
  durationMs: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

export async function sendRequest(request: RenderedRequest, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const finish = (outcome: AttemptOutcome, responseSnippet = ''): SendResult => ({ outcome, responseSnippet, durationMs: Math.round(performance.now() - started) });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return finish({ kind: 'connection_error', code: 'invalid_url' });
  }
  const vetted = await vetHost(url.hostname, options.policy);
  if (!vetted.ok) return finish({ kind: 'connection_error', code: vetted.reason }, vetted.message);
  // The connection goes to the vetted address whatever DNS says later; TLS still checks the host name.
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: vetted.address, family: vetted.family }]);
    else callback(null, vetted.address, vetted.family);
  };
  const body = Buffer.from(request.body);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const settle = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const outgoing = client.request(
      url,
      {
        method: request.method,
        headers: { ...request.headers, ...options.headers, 'Content-Length': String(body.length), 'User-Agent': 'inlet-engine' },
        lookup,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const status = response.statusCode ?? 0;
        const done = () => settle(finish({ kind: 'response', status, retryAfter: response.headers['retry-after'] ?? null }, Buffer.concat(chunks).toString('utf8')));
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size));
          size += chunk.length;
          // Enough of the answer: the status decides; a huge body is not our problem to download.
          if (size >= MAX_RESPONSE_BYTES) {
            done();
            response.destroy();
          }
        });
        response.on('end', done);
        response.on('error', done);
      },
    );
    const deadline = setTimeout(() => {
      outgoing.destroy();
      settle(finish({ kind: 'timeout' }));
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    outgoing.on('error', (error: NodeJS.ErrnoException) => settle(finish({ kind: 'connection_error', code: error.code ?? error.message })));
    outgoing.end(body);
  });
}
