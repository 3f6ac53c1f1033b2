// The engine's HTTP surface: authentication, the routes of the contract, one error shape, request
// logs.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { readAuditNote } from '../audit/audit-note';
import { addAuditRoutes } from '../audit/audit-routes';
import { addArtifactRoutes } from '../datalake/artifact-routes';
import type { EngineContext, RequestVariables } from '../engine-context';
import { addSignatureRoutes } from '../deliver/signature-routes';
import { addExtractRoutes } from '../extract/extract-routes';
import { addLoadRoutes } from '../loads/load-routes';
import { addCrudRoutes } from '../resources/crud-routes';
import { datalakes } from '../resources/datalakes';
import { datasets } from '../resources/datasets';
import { destinations } from '../resources/destinations';
import { products } from '../resources/products';
import { providers } from '../resources/providers';
import type { ResourceDefinition } from '../resources/resource-definition';
import { sources } from '../resources/sources';
import { streams } from '../resources/streams';
import { webhooks } from '../resources/webhooks';
import { SecretDecryptError } from '../secrets/secret-box';
import { addSourceActionRoutes } from '../sources/source-routes';
import { addStatusRoutes } from '../status/status-routes';
import { addTransformRoutes } from '../transform/transform-routes';
import { ApiError } from './api-error';
import { ApiRoutes } from './api-routes';
import { MAX_BODY_BYTES } from './read-input';
import { rateLimit } from './rate-limit';
import { requireApiKey } from './require-api-key';

export const ENGINE_VERSION = '0.1.0';

const PUBLIC_PATHS = new Set(['/healthz', '/openapi.json']);
const isPublic = (path: string) => PUBLIC_PATHS.has(path) || path.startsWith('/public/');

const MANAGEMENT_RESOURCES = [
  datalakes,
  providers,
  products,
  destinations,
  sources,
  datasets,
  streams,
  webhooks,
] as ResourceDefinition[];

export function createApp(
  engine: EngineContext,
  options: {
    apiKeys: readonly string[];
    requestsPerSecond?: number;
    requestsPerProviderPerSecond?: number;
    /** Serve only the documented Prequel Import API (ENGINE_STRICT_PREQUEL). */
    strictPrequel?: boolean;
  },
) {
  const app = new Hono<{ Variables: RequestVariables }>();
  const routes = new ApiRoutes<RequestVariables>();

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    engine.logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round(performance.now() - started),
    });
  });
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(
          413,
          'payload_too_large',
          `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`,
        );
      },
    }),
  );
  app.use(requireApiKey(options.apiKeys, isPublic));
  app.use(
    rateLimit({
      perSecond: options.requestsPerSecond ?? 200,
      perProviderPerSecond: options.requestsPerProviderPerSecond,
    }),
  );
  app.use(readAuditNote());

  routes.add({
    method: 'get',
    path: '/',
    summary: 'Check the API key (connectivity check)',
    tag: 'meta',
    response: z.object({
      status: z.literal('success'),
      data: z.object({ service: z.string(), version: z.string(), api: z.string() }),
      message: z.string(),
    }),
    handler: (c) =>
      c.json({
        status: 'success',
        data: { service: 'inlet-engine', version: ENGINE_VERSION, api: 'prequel-import' },
        message: 'The API key is valid.',
      }),
  });
  routes.add({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness and database check (no API key)',
    tag: 'meta',
    isPublic: true,
    handler: async (c) => {
      await engine.db.query('select 1');
      return c.json({ status: 'success', data: { database: 'ok' }, message: 'healthy' });
    },
  });

  for (const definition of MANAGEMENT_RESOURCES) addCrudRoutes(routes, engine, definition);
  addSourceActionRoutes(routes, engine);
  addAuditRoutes(routes, engine);
  addArtifactRoutes(routes, engine);
  addExtractRoutes(routes, engine);
  addTransformRoutes(routes, engine);
  addSignatureRoutes(routes, engine);
  addLoadRoutes(routes, engine);
  addStatusRoutes(routes, engine);

  routes.add({
    method: 'get',
    path: '/openapi.json',
    summary:
      '(ext) This document: the API with its extensions, from which a client learns what it ' +
      'offers beyond the hosted API',
    tag: 'meta',
    isPublic: true,
    handler: (c) => c.json(openApi),
  });

  routes.mount(app, { strictPrequel: options.strictPrequel });
  const openApi = routes.openApi({
    title: 'Inlet import engine (Prequel Import API)',
    version: ENGINE_VERSION,
    description:
      'The Prequel Import API as served by the Inlet engine. Extensions of the hosted API are ' +
      'marked (ext) in their summaries and field descriptions.',
  });

  app.notFound((c) =>
    c.json(
      new ApiError(404, 'route_not_found', `No route ${c.req.method} ${c.req.path}.`).toBody(),
      404,
    ),
  );

  app.onError((error, c) => {
    const apiError = toApiError(error);
    for (const [name, value] of Object.entries(apiError.headers)) c.header(name, value);
    if (apiError.status >= 500) {
      engine.logger.error('unexpected error', {
        method: c.req.method,
        path: c.req.path,
        error: error.name,
        message: error.message,
        stack: error.stack,
      });
    }
    return c.json(apiError.toBody(), apiError.status);
  });

  return { app, openApi };
}

function toApiError(error: Error): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof SecretDecryptError)
    return new ApiError(500, 'secret_unreadable', error.message);
  const pgCode = (error as { code?: string }).code;
  if (pgCode === '23505')
    return new ApiError(
      409,
      'already_exists',
      'An object with the same unique name or id already exists.',
    );
  if (pgCode === '23503')
    return new ApiError(
      409,
      'still_referenced',
      'The object is still referenced by another object.',
    );
  return new ApiError(
    500,
    'internal_error',
    'The engine failed unexpectedly; the error has been logged.',
  );
}
