// Sends one signed delivery: the host vetted by the policy and the socket pinned to it, no
// redirects followed, a deadline on the whole exchange, and at most 64 KB of the answer read.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { vetHost, type HostPolicy } from '../net/host-policy';
import { bodyBytes, type RenderedRequest } from './render-request';
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
/**
 * Idle kept-alive sockets close before the usual server keep-alive timeout (Node's is 5 s), so few
 * are reused as the server closes them.
 */
const IDLE_SOCKET_MS = 4_000;
const MAX_AGENTS = 256;

type Vetted = { address: string; family: 4 | 6 };

/**
 * Every name resolves to the vetted address, whatever DNS says later (pinning defeats DNS
 * rebinding).
 */
function pinnedLookup(vetted: Vetted): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all)
      (callback as unknown as (error: null, addresses: Vetted[]) => void)(null, [vetted]);
    else callback(null, vetted.address, vetted.family);
  };
}

// Keep-alive agents, one per protocol and vetted address: every socket an agent holds was opened to
// that address, so a reused connection goes where a new one would. Within an agent Node pools
// sockets by host name, port and TLS server name, so a TLS session is only reused for the host it
// was verified for.
const agents = new Map<string, http.Agent>();

function agentFor(protocol: 'http:' | 'https:', vetted: Vetted): http.Agent {
  const key = `${protocol}//${vetted.address}/${vetted.family}`;
  let agent = agents.get(key);
  if (agent) {
    // Most recently used last: the map's first entry is the one evicted.
    agents.delete(key);
  } else {
    const options = { keepAlive: true, timeout: IDLE_SOCKET_MS, lookup: pinnedLookup(vetted) };
    agent = protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    if (agents.size >= MAX_AGENTS) {
      const [oldestKey, oldest] = agents.entries().next().value!;
      agents.delete(oldestKey);
      oldest.destroy();
    }
  }
  agents.set(key, agent);
  return agent;
}

export async function sendRequest(
  request: RenderedRequest,
  options: SendOptions,
): Promise<SendResult> {
  const started = performance.now();
  const finish = (outcome: AttemptOutcome, responseSnippet = ''): SendResult => ({
    outcome,
    responseSnippet,
    durationMs: Math.round(performance.now() - started),
  });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return finish({ kind: 'connection_error', code: 'invalid_url' });
  }
  const protocol = url.protocol;
  if (protocol !== 'http:' && protocol !== 'https:')
    return finish({ kind: 'connection_error', code: 'invalid_url' });
  const vetted = await vetHost(url.hostname, options.policy);
  if (!vetted.ok) return finish({ kind: 'connection_error', code: vetted.reason }, vetted.message);
  const body = bodyBytes(request.body);
  const client = protocol === 'https:' ? https : http;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
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
        headers: {
          ...request.headers,
          ...options.headers,
          'Content-Length': String(body.length),
          'User-Agent': 'inlet-engine',
        },
        // The agent's sockets are pinned too; this covers a socket the agent opens for this
        // request.
        lookup: pinnedLookup(vetted),
        agent: agentFor(protocol, vetted),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const status = response.statusCode ?? 0;
        const done = () =>
          settle(
            finish(
              { kind: 'response', status, retryAfter: response.headers['retry-after'] ?? null },
              Buffer.concat(chunks).toString('utf8'),
            ),
          );
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size));
          size += chunk.length;
          // Enough of the answer: the status decides; a huge body is not our problem to download
          // (and the connection, destroyed, is not reused).
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
      // Destroyed, not returned to the agent: a late answer must not be read as the next request's.
      outgoing.destroy();
      settle(finish({ kind: 'timeout', afterMs: timeoutMs }));
    }, timeoutMs);
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      settle(finish({ kind: 'connection_error', code: error.code ?? error.message })),
    );
    outgoing.end(body);
  });
}
