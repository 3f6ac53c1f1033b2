// GET /public/artifacts/{datalake_id}/{key}: serves a local datalake's object to whoever holds a
// valid signed link (webhook_batch receivers); no API key, the signature is the authorisation.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { EngineContext, RequestVariables } from '../engine-context';
import { ApiError, forbidden } from '../http/api-error';
import type { ApiRoutes } from '../http/api-routes';
import { readQuery } from '../http/read-input';
import {
  ARTIFACT_PATH_PREFIX,
  ARTIFACT_SIGNING_PURPOSE,
  verifyArtifactSignature,
} from './artifact-url';
import { contentTypeOf } from './content-type-of';
import { DatalakeError, DatalakeObjectNotFound } from './datalake-error';
import { openDatalakeFor } from './open-datalake-for';

const ArtifactQuerySchema = z.object({
  expires: z.string().max(32).optional(),
  signature: z.string().max(256).optional(),
});

export function addArtifactRoutes(routes: ApiRoutes<RequestVariables>, engine: EngineContext) {
  const signingKey = engine.secretBox.deriveKey(ARTIFACT_SIGNING_PURPOSE);

  routes.add({
    method: 'get',
    path: `${ARTIFACT_PATH_PREFIX}/:datalake_id/:key{.+}`,
    summary:
      'Download a file of a local datalake through a signed, time-limited link (ext; no API key)',
    tag: 'artifacts',
    isPublic: true,
    query: ArtifactQuerySchema,
    errorStatuses: [403, 404],
    handler: async (c) => {
      const datalakeId = c.req.param('datalake_id')!;
      const key = c.req.param('key')!;
      const { expires, signature } = readQuery(c, ArtifactQuerySchema);
      const verdict = verifyArtifactSignature({
        datalakeId,
        key,
        expires,
        signature,
        secret: signingKey,
      });
      if (!verdict.ok && verdict.reason === 'invalid_signature') {
        throw forbidden(
          'invalid_signature',
          'The download link is not valid: it was altered or was not issued by this engine.',
        );
      }
      if (!verdict.ok)
        throw new ApiError(
          404,
          'link_expired',
          'The download link has expired: ask the sender for a new one.',
        );

      let file: string;
      try {
        file = await (await openDatalakeFor(engine, datalakeId)).localPath(key);
      } catch (error) {
        if (
          error instanceof DatalakeObjectNotFound ||
          (error instanceof DatalakeError && error.code === 'datalake_not_found')
        ) {
          throw new ApiError(404, 'not_found', 'The file of this download link no longer exists.');
        }
        throw error;
      }
      const { size } = await stat(file);
      c.header('content-type', contentTypeOf(key));
      c.header('content-length', String(size));
      c.header('content-disposition', `attachment; filename="${path.posix.basename(key)}"`);
      c.header('cache-control', 'private, no-store');
      return c.body(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>);
    },
  });
}
