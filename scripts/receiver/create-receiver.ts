// The reference receiver: a SaaS endpoint of our own on 127.0.0.1 that verifies, de-duplicates and
// stores what the engine delivers, and can be scripted to fail. Tests, benchmarks and the demo use
// it.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDeliveryAcceptor, type DeliveryAcceptor } from './accept-delivery';
import {
  type ControlPlan,
  type ControlPlanInput,
  type ControlSnapshot,
  createControl,
  type RecordPredicate,
  type ScriptedStep,
} from './control-plan';
import { LOOPBACK_HOSTS } from './fetch-batch-file';
import { fetchEnginePublicKey } from './fetch-engine-public-key';
import { BodyTooLarge, canAnswer, readBody, sendJson, streamFiller } from './http-io';
import { createParquetReader } from './read-parquet-rows';
import { API_PREFIX, handleReceiverApi, REDIRECT_TRAP_PATH } from './receiver-api';
import {
  createReceiverStore,
  type DeliveryLogEntry,
  type ReceiverStats,
  type ReceiverStore,
  type ReceiverStoreLimits,
} from './receiver-store';
import { DEFAULT_TOLERANCE_SECONDS, parseEnginePublicKey } from './verify-delivery';

export interface ReceiverOptions {
  /** The engine's public key as PEM; otherwise it is fetched from `engineUrl` once, at start. */
  publicKeyPem?: string;
  /**
   * The engine's base URL: source of the public key, and a host batch files may be downloaded from.
   */
  engineUrl?: string;
  toleranceSeconds?: number;
  /** Request bodies over this are answered 413 (default 64 MiB). */
  maxBodyBytes?: number;
  limits?: Partial<ReceiverStoreLimits>;
  download?: {
    timeoutMs?: number;
    maxBytes?: number;
    /** More host names presigned URLs may point at, besides loopback and the engine's host. */
    allowedHosts?: string[];
  };
  /** The clock for timestamp tolerance and log times (tests). */
  nowMs?: () => number;
}

export interface ReceiverControl {
  /**
   * Replaces the failure plan (throws on a malformed one); `rejectWhen` refuses records by a JS
   * predicate.
   */
  set(plan: ControlPlanInput, options?: { rejectWhen?: RecordPredicate }): ControlPlan;
  /** Back to the default: accept everything, no latency, no rules. */
  reset(): void;
  snapshot(): ControlSnapshot;
}

export interface Receiver {
  /** http://127.0.0.1:<port>; throws before start. */
  readonly url: string;
  start(port?: number): Promise<string>;
  stop(): Promise<void>;
  store: ReceiverStore;
  control: ReceiverControl;
  /**
   * Forgets everything received and restores the default control plan, like POST /_receiver/reset.
   */
  reset(): void;
  /**
   * Resolves with the stats once `condition` holds (checked after every delivery), or rejects after
   * `timeoutMs`.
   */
  waitFor(condition: (stats: ReceiverStats) => boolean, timeoutMs?: number): Promise<ReceiverStats>;
}

const HOST = '127.0.0.1';

export function createReceiver(options: ReceiverOptions = {}): Receiver {
  if (!options.publicKeyPem && !options.engineUrl)
    throw new Error('The receiver needs the engine public key: give publicKeyPem or engineUrl.');
  const nowMs = options.nowMs ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const store = createReceiverStore(options.limits);
  const control = createControl({ now: () => new Date(nowMs()) });
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const parquet = createParquetReader();
  const allowedHosts = new Set(
    [...LOOPBACK_HOSTS, ...(options.download?.allowedHosts ?? [])].map((host) =>
      host.toLowerCase(),
    ),
  );
  if (options.engineUrl) allowedHosts.add(new URL(options.engineUrl).hostname.toLowerCase());

  let publicKey: KeyObject | null = options.publicKeyPem
    ? parseEnginePublicKey(options.publicKeyPem)
    : null;
  let server: Server | null = null;
  let baseUrl: string | null = null;
  // Aborts the latency sleeps of requests in progress when the receiver stops.
  let stopping = new AbortController();

  const accept: DeliveryAcceptor = createDeliveryAcceptor({
    store,
    control,
    publicKey: () => publicKey!,
    toleranceSeconds: options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
    nowMs,
    download: {
      allowedHosts,
      timeoutMs: options.download?.timeoutMs ?? 10_000,
      maxBytes: options.download?.maxBytes ?? 256 * 1024 * 1024,
      parquet,
    },
  });

  const logDelivery = (entry: Omit<DeliveryLogEntry, 'seq'>) => {
    store.logDelivery(entry);
    events.emit('delivery');
  };

  async function deliver(request: IncomingMessage, response: ServerResponse, url: URL) {
    const started = performance.now();
    const receivedAt = new Date(nowMs()).toISOString();
    // Taken before any await, so the script applies in arrival order even under concurrency.
    const provider = request.headers['x-prequel-import-provider'];
    const step = control.next({
      path: url.pathname,
      provider: typeof provider === 'string' ? provider : null,
    });
    store.requestStarted();
    // Finished when the answer is handed to the network, or when the connection goes without one.
    let finished = false;
    const finish = () => {
      if (!finished) store.requestFinished();
      finished = true;
    };
    response.once('finish', finish);
    response.once('close', finish);
    const method = request.method ?? 'POST';
    const base = {
      receivedAt,
      method,
      path: url.pathname,
      deliveryId: null,
      provider: null,
      kind: null,
      records: 0,
    };
    const done = (
      entry: Partial<DeliveryLogEntry> & Pick<DeliveryLogEntry, 'status' | 'outcome' | 'bytes'>,
    ) => logDelivery({ ...base, ...entry, durationMs: Math.round(performance.now() - started) });

    let rawBody: Buffer;
    try {
      rawBody = await readBody(request, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendJson(
          response,
          413,
          { status: 'rejected', reason: 'body_too_large', message: error.message },
          { connection: 'close' },
        );
        return done({
          status: 413,
          outcome: 'too_large',
          reason: 'body_too_large',
          bytes: maxBodyBytes,
        });
      }
      return done({ status: null, outcome: 'failed', reason: 'client_aborted', bytes: 0 });
    }
    const bytes = rawBody.length;

    if (step.delayMs > 0 && !(await pause(step.delayMs))) return;

    switch (step.kind) {
      case 'drop':
        request.socket.destroy();
        return done({ status: null, outcome: 'dropped', bytes });
      case 'stall':
        if (step.sendHeaders) {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.write('{');
        }
        return done({ status: null, outcome: 'stalled', bytes });
      case 'respond':
        if (step.status < 200 || step.status > 299) {
          answerScripted(response, step);
          return done({
            status: step.status,
            outcome: 'scripted',
            reason: `scripted_${step.status}`,
            bytes,
          });
        }
        break;
      case 'lose-ack':
        break;
    }

    const result = await accept({
      method,
      path: url.pathname,
      headers: request.headers,
      rawBody,
      receivedAt,
    });
    const entry = {
      deliveryId: result.deliveryId,
      provider: result.provider,
      kind: result.kind,
      loadId: result.loadId,
      records: result.records,
      reason: result.reason,
      bytes: bytes + result.fileBytes,
    };
    const acknowledged = result.outcome === 'stored' || result.outcome === 'duplicate';
    if (step.kind === 'lose-ack' && acknowledged) {
      // Stored (or already stored), yet the sender sees a reset: it must retry, and the retry must
      // be a duplicate.
      request.socket.destroy();
      return done({ ...entry, status: null, outcome: 'ack_lost', reason: result.outcome });
    }
    const status = acknowledged && step.kind === 'respond' ? step.status : result.status;
    if (step.kind === 'respond' && step.bodyBytes !== undefined)
      fillBody(response, status, step.bodyBytes);
    else sendJson(response, status, result.body);
    done({ ...entry, status, outcome: result.outcome });
  }

  function answerScripted(
    response: ServerResponse,
    step: Extract<ScriptedStep, { kind: 'respond' }>,
  ) {
    const headers: Record<string, string> = {};
    if (step.retryAfter !== undefined) headers['retry-after'] = String(step.retryAfter);
    if (step.retryAfterDateIn !== undefined)
      headers['retry-after'] = new Date(nowMs() + step.retryAfterDateIn * 1000).toUTCString();
    if (step.status >= 300 && step.status < 400)
      headers.location = step.location ?? `${baseUrl}${REDIRECT_TRAP_PATH}`;
    if (step.bodyBytes !== undefined)
      return fillBody(response, step.status, step.bodyBytes, headers);
    sendJson(
      response,
      step.status,
      {
        status: 'scripted',
        message: `Scripted answer ${step.status} (request ${step.ordinal} under the control plan).`,
      },
      headers,
    );
  }

  /** Streams a scripted body, counting it when the client hangs up before its end. */
  function fillBody(
    response: ServerResponse,
    status: number,
    bytes: number,
    headers: Record<string, string> = {},
  ) {
    response.once('close', () => {
      if (response.writableFinished) return;
      store.noteAbandonedBody();
      events.emit('delivery');
    });
    streamFiller(response, status, bytes, headers);
  }

  /**
   * Sleeps; false when the receiver stopped meanwhile (the connection is gone, nothing left to do).
   */
  async function pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: stopping.signal });
      return true;
    } catch {
      return false;
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://receiver.invalid');
    if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) {
      return handleReceiverApi(request, response, url, {
        store,
        control: { set: (plan, via) => control.set(plan, via), snapshot: () => control.snapshot() },
        reset: () => resetAll('http'),
        onRedirectFollowed: () => {
          store.noteRedirectFollowed();
          events.emit('delivery');
        },
      });
    }
    return deliver(request, response, url);
  }

  function resetAll(via: 'http' | 'js' = 'http') {
    store.reset();
    control.reset(via, true);
  }

  return {
    get url() {
      if (!baseUrl) throw new Error('The receiver is not started.');
      return baseUrl;
    },

    async start(port = 0) {
      if (server) throw new Error('The receiver is already started.');
      if (!publicKey)
        publicKey = parseEnginePublicKey(await fetchEnginePublicKey(options.engineUrl!));
      stopping = new AbortController();
      const created = createServer((request, response) => {
        route(request, response).catch((error: unknown) => {
          // A bug in the receiver must be loud in the log and a 500 to the sender, never a hung
          // request.
          console.error('receiver: unexpected error', error);
          if (canAnswer(response))
            sendJson(response, 500, {
              status: 'error',
              message: 'The receiver failed unexpectedly.',
            });
        });
      });
      await new Promise<void>((resolve, reject) => {
        created.once('error', reject);
        created.listen(port, HOST, () => {
          created.off('error', reject);
          resolve();
        });
      });
      server = created;
      baseUrl = `http://${HOST}:${(created.address() as AddressInfo).port}`;
      return baseUrl;
    },

    async stop() {
      const running = server;
      server = null;
      baseUrl = null;
      stopping.abort();
      parquet.close();
      if (!running) return;
      const closed = new Promise<void>((resolve) => running.close(() => resolve()));
      // Stalled and keep-alive connections would hold close() open forever.
      running.closeAllConnections();
      await closed;
    },

    store,

    control: {
      set: (plan, setOptions) => control.set(plan, 'js', setOptions?.rejectWhen),
      reset: () => control.reset('js'),
      snapshot: () => control.snapshot(),
    },

    reset: () => resetAll('js'),

    waitFor(condition, timeoutMs = 10_000) {
      const current = store.stats();
      if (condition(current)) return Promise.resolve(current);
      return new Promise((resolve, reject) => {
        const check = () => {
          const stats = store.stats();
          if (!condition(stats)) return;
          clearTimeout(timer);
          events.off('delivery', check);
          resolve(stats);
        };
        const timer = setTimeout(() => {
          events.off('delivery', check);
          reject(
            new Error(
              `The receiver's condition did not hold within ${timeoutMs} ms; stats: ` +
                `${JSON.stringify(store.stats())}`,
            ),
          );
        }, timeoutMs);
        events.on('delivery', check);
      });
    },
  };
}
