// The demo control over HTTP on 127.0.0.1, for the app's server code: scenario switches, the
// simulator, resets. Every request needs `Authorization: Bearer <DEMO_CONTROL_TOKEN>`: whoever can
// reach the port could otherwise rotate a database password.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { BodyTooLarge, canAnswer, readBody, sendJson } from '../receiver/http-io';
import {
  type DemoState,
  ScenarioNameSchema,
  ScenarioSwitchSchema,
  SimulatorSwitchSchema,
} from '../../lib/demo/demo-state';
import type { ScenarioSwitcher } from './scenarios';

export const CONTROL_PREFIX = '/demo';

export interface ControlServer {
  url: string;
  stop(): Promise<void>;
}

export interface ControlServerOptions {
  token: string;
  switcher: ScenarioSwitcher;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  onError?: (error: unknown) => void;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const expected = digest(options.token);
  const authorized = (request: IncomingMessage) => {
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    // Digests compare in constant time whatever the lengths.
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };

  const server: Server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      (options.onError ?? console.error)(error);
      if (canAnswer(response))
        fail(
          response,
          500,
          'demo_control_failed',
          `The demo control failed: ${(error as Error).message}`,
        );
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://demo.invalid');
    if (!authorized(request))
      return fail(
        response,
        401,
        'unauthorized',
        'Send Authorization: Bearer <DEMO_CONTROL_TOKEN>.',
      );
    const method = request.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    const { switcher } = options;

    if (method === 'GET' && path === `${CONTROL_PREFIX}/status`)
      return succeed(response, await switcher.status());
    if (method === 'POST' && path === `${CONTROL_PREFIX}/reset`)
      return succeed(response, await switcher.reset());
    if (method === 'POST' && path === `${CONTROL_PREFIX}/reset-all`)
      return succeed(response, await switcher.resetAll());
    if (method === 'POST' && path === `${CONTROL_PREFIX}/simulator`) {
      const body = await readInput(request, response, SimulatorSwitchSchema);
      if (body) succeed(response, await switcher.setSimulatorPaused(body.paused));
      return;
    }
    const scenario = new RegExp(`^${CONTROL_PREFIX}/scenarios/([^/]+)$`).exec(path);
    if (method === 'POST' && scenario) {
      const name = ScenarioNameSchema.safeParse(decodeURIComponent(scenario[1]!));
      if (!name.success)
        return fail(
          response,
          404,
          'unknown_scenario',
          `No scenario "${scenario[1]}": ${ScenarioNameSchema.options.join(', ')}.`,
        );
      const body = await readInput(request, response, ScenarioSwitchSchema);
      if (body) succeed(response, await switcher.set(name.data, body));
      return;
    }
    fail(
      response,
      404,
      'not_found',
      `No route ${method} ${url.pathname}. Routes: GET ${CONTROL_PREFIX}/status; POST ` +
        `${CONTROL_PREFIX}/scenarios/{name}, /simulator, /reset, /reset-all.`,
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function succeed(response: ServerResponse, state: DemoState) {
  sendJson(response, 200, { status: 'success', data: state });
}

function fail(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  details?: { path: string; message: string }[],
) {
  sendJson(response, status, {
    status: 'error',
    message,
    error: { code, ...(details ? { details } : {}) },
  });
}

/** The parsed JSON body, or undefined after answering 400. */
async function readInput<T>(
  request: IncomingMessage,
  response: ServerResponse,
  schema: z.ZodType<T>,
): Promise<T | undefined> {
  let raw: Buffer;
  try {
    raw = await readBody(request, 64 * 1024);
  } catch (error) {
    fail(
      response,
      error instanceof BodyTooLarge ? 413 : 400,
      'invalid_body',
      (error as Error).message,
    );
    return undefined;
  }
  let json: unknown;
  try {
    json = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch {
    fail(response, 400, 'invalid_json', 'The body is not JSON.');
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    fail(response, 400, 'invalid_body', 'The body does not fit this route.', details);
    return undefined;
  }
  return parsed.data;
}
