// GET /public/signatures/webhook-public-key: what receivers verify deliveries with (no API key
// needed).
import { z } from 'zod';
import type { EngineContext, RequestVariables } from '../engine-context';
import type { ApiRoutes } from '../http/api-routes';
import { respond } from '../http/respond';
import { signingKey } from './signing-key';

export function addSignatureRoutes(routes: ApiRoutes<RequestVariables>, engine: EngineContext) {
  routes.add({
    method: 'get',
    path: '/public/signatures/webhook-public-key',
    summary: 'The RSA-2048 public key (PEM) that verifies delivery and monitoring signatures',
    tag: 'signatures',
    isPublic: true,
    response: z.object({
      status: z.literal('success'),
      data: z.object({ public_key: z.string() }),
      message: z.string(),
    }),
    handler: async (c) => {
      const key = await signingKey(engine);
      return respond(
        c,
        'public_key',
        key.publicKeyPem,
        'The public key that signs webhook deliveries (RSA 2048, PKCS#1 v1.5, SHA-256).',
      );
    },
  });
}
