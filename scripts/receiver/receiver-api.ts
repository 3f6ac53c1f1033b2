// The receiver's own HTTP API under /_receiver/: read what was received, script failures, reset.
// Unauthenticated on purpose: the receiver only listens on 127.0.0.1 and holds test data.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { ControlSnapshot } from './control-plan';
import { BodyTooLarge, readBody, sendJson } from './http-io';
import type { ReceiverStore } from './receiver-store';

export const API_PREFIX = '/_receiver';
/**
 * Where a scripted redirect points by default: any request reaching it means a client followed a
 * redirect.
 */
export const REDIRECT_TRAP_PATH = `${API_PREFIX}/redirect-trap`;

export interface ReceiverApiDeps {
  store: ReceiverStore;
  control: {
    set(plan: unknown, via: 'http'): void;
    snapshot(): ControlSnapshot;
  };
  /** Resets store and control together: a "fresh receiver" between tests. */
  reset(): void;
  onRedirectFollowed(request: IncomingMessage): void;
}

const limitSchema = (max: number) => z.coerce.number().int().min(1).max(max).optional();

const RecordsQuerySchema = z.object({
  provider: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  key: z.string().optional(),
  after: z.coerce.number().int().min(0).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: limitSchema(100_000),
  latest: z.enum(['true', 'false']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
});

const LogQuerySchema = z.object({
  limit: limitSchema(100_000),
  deliveryId: z.string().min(1).optional(),
});

export async function handleReceiverApi(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  deps: ReceiverApiDeps,
): Promise<void> {
  const method = request.method ?? 'GET';
  const route = `${method} ${url.pathname.replace(/\/+$/, '')}`;
  const query = Object.fromEntries(url.searchParams);

  if (url.pathname === REDIRECT_TRAP_PATH) {
    deps.onRedirectFollowed(request);
    return sendJson(response, 200, {
      status: 'redirect_followed',
      message: 'This request followed a redirect; senders must treat 3xx as a failure.',
    });
  }

  switch (route) {
    case `GET ${API_PREFIX}/records`: {
      const parsed = RecordsQuerySchema.safeParse(query);
      if (!parsed.success) return invalid(response, parsed.error);
      const { latest, ...filter } = parsed.data;
      const found = deps.store.records({ ...filter, latest: latest === 'true' });
      return sendJson(response, 200, {
        records: found.records,
        nextAfter: found.nextAfter,
        nextBefore: found.nextBefore,
      });
    }
    case `GET ${API_PREFIX}/stats`:
      return sendJson(response, 200, deps.store.stats());
    case `GET ${API_PREFIX}/providers`:
      return sendJson(response, 200, { providers: deps.store.providers() });
    case `GET ${API_PREFIX}/deliveries`: {
      const parsed = LogQuerySchema.safeParse(query);
      if (!parsed.success) return invalid(response, parsed.error);
      return sendJson(response, 200, { deliveries: deps.store.deliveries(parsed.data) });
    }
    case `GET ${API_PREFIX}/rejections`: {
      const parsed = LogQuerySchema.pick({ limit: true }).safeParse(query);
      if (!parsed.success) return invalid(response, parsed.error);
      return sendJson(response, 200, { rejections: deps.store.rejections(parsed.data) });
    }
    case `GET ${API_PREFIX}/control`:
      return sendJson(response, 200, deps.control.snapshot());
    case `POST ${API_PREFIX}/control`: {
      const body = await readJson(request, response);
      if (body === undefined) return;
      try {
        deps.control.set(body, 'http');
      } catch (error) {
        if (error instanceof z.ZodError) return invalid(response, error);
        throw error;
      }
      return sendJson(response, 200, deps.control.snapshot());
    }
    case `POST ${API_PREFIX}/reset`:
      deps.reset();
      return sendJson(response, 200, { status: 'reset', stats: deps.store.stats() });
    default:
      return sendJson(response, 404, {
        status: 'error',
        message:
          `No receiver route ${method} ${url.pathname}. Routes: GET ` +
          `records|stats|providers|deliveries|rejections|control, POST control|reset (under ` +
          `${API_PREFIX}/).`,
      });
  }
}

/**
 * The JSON body, or undefined after answering 400 (an empty body counts as {}: "back to defaults").
 */
async function readJson(request: IncomingMessage, response: ServerResponse): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readBody(request, 1024 * 1024);
  } catch (error) {
    sendJson(
      response,
      error instanceof BodyTooLarge ? 413 : 400,
      { status: 'error', message: (error as Error).message },
      { connection: 'close' },
    );
    return undefined;
  }
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    sendJson(response, 400, { status: 'error', message: 'The body is not JSON.' });
    return undefined;
  }
}

function invalid(response: ServerResponse, error: z.ZodError) {
  sendJson(response, 400, {
    status: 'error',
    message: 'Invalid request.',
    details: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  });
}
