// Mapping previews: test-stream (a candidate stream) and test-transform (a saved stream, optionally
// with unsaved changes). Both run the load pipeline's own transform on cached records and save
// nothing.
import type { Context } from 'hono';
import { z } from 'zod';
import { PreviewSchema } from '../../lib/prequel/contract/records';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import { StreamCreateSchema, type StreamCreate } from '../../lib/prequel/contract/stream';
import { readRecordsByIds } from '../cache/cached-records';
import type { EngineContext, RequestVariables } from '../engine-context';
import { forbidden, unprocessable } from '../http/api-error';
import type { ApiRoutes } from '../http/api-routes';
import { parseWith, readJson, readQuery } from '../http/read-input';
import { requireById } from '../http/require-by-id';
import { mergePatch } from '../resources/merge-patch';
import { requireReference } from '../resources/references';
import { providerHasDestination } from '../resources/streams';
import { validateMappings } from '../validation/validate-mappings';
import { createTransformCache, type TransformCache } from './mapping/compiled-transform-cache';
import { previewRecords, type Preview } from './mapping/preview-records';

const recordIds = (max: number) => z.array(z.string().min(1).max(1024)).min(1).max(max);
const TestStreamBody = z.object({ stream: StreamCreateSchema, record_ids: recordIds(100) });
const TestTransformBody = z.object({
  record_ids: recordIds(50),
  stream: z.record(z.string(), z.unknown()).optional(),
});
const PreviewQuery = z.object({ skip_validation: z.enum(['true', 'false']).optional() });

const TransformPreviewSchema = z.object({
  status: z.literal('success'),
  data: PreviewSchema,
  message: z.string(),
});

type DatasetRow = { id: string; provider_id: string; columns: SchemaColumn[] | null };
type DestinationRow = {
  id: string;
  name: string;
  body: { record_schema: Record<string, unknown> };
};

/**
 * Checks the candidate as stream create would, then transforms the records; request problems are
 * 4xx, record problems are data.
 */
async function previewStream(
  engine: EngineContext,
  compile: TransformCache,
  candidate: StreamCreate,
  ids: readonly string[],
  skipValidation: boolean,
): Promise<Preview> {
  const dataset = await requireReference<DatasetRow>(
    engine.db,
    'datasets',
    candidate.dataset_id,
    'stream.dataset_id',
    'dataset',
  );
  const destination = await requireReference<DestinationRow>(
    engine.db,
    'destinations',
    candidate.destination_id,
    'stream.destination_id',
    'destination',
  );
  if (!(await providerHasDestination(engine.db, dataset.provider_id, destination.id))) {
    throw forbidden(
      'destination_not_allowed',
      `Provider "${dataset.provider_id}" has no product that includes destination ` +
        `"${destination.name}": add the destination to one of its products, or give the provider ` +
        `"all".`,
      [{ path: 'stream.destination_id', message: 'is not available to this provider' }],
    );
  }
  const compiled = compile(candidate.mappings, destination.body.record_schema, dataset.columns);
  if (!compiled.ok) {
    const [first] = compiled.errors;
    throw unprocessable(
      first!.code,
      `The mappings cannot be applied: ${first!.path} ${first!.message}.`,
      compiled.errors.map(({ path, message }) => ({ path, message })),
    );
  }
  if (!skipValidation) {
    const issues = validateMappings(
      candidate.mappings,
      destination.body.record_schema,
      dataset.columns?.map((column) => column.name) ?? null,
    );
    const [first] = issues;
    if (first)
      throw unprocessable(
        first.code,
        `The mappings do not fit: ${first.path} ${first.message}.`,
        issues.map(({ path, message }) => ({ path, message })),
      );
  }
  const cached = await readRecordsByIds(engine, dataset.id, ids);
  return previewRecords(compiled.transform, ids, cached, { now: new Date() });
}

async function findStream(engine: EngineContext, id: string): Promise<Record<string, unknown>> {
  return (
    await requireById<{ body: Record<string, unknown> }>(
      engine.db,
      'stream',
      'select body from streams where id = $1',
      id,
    )
  ).body;
}

function respondPreview(c: Context, preview: Preview) {
  const failed = new Set(preview.errors.map((error) => error.record_id)).size;
  const message =
    `Transformed ${preview.records.length} ` +
    `record${preview.records.length === 1 ? '' : 's'}${failed ? `; ${failed} with errors` : ''}.`;
  return c.json({ status: 'success', data: preview, message });
}

export function addTransformRoutes(routes: ApiRoutes<RequestVariables>, engine: EngineContext) {
  const compile = createTransformCache();
  routes.add({
    method: 'post',
    path: '/import/test-stream',
    summary:
      'Transform cached records with a candidate stream, without saving it (errors per record ' +
      'and field: ext)',
    tag: 'streams',
    body: TestStreamBody,
    query: PreviewQuery,
    response: TransformPreviewSchema,
    errorStatuses: [403, 422],
    handler: async (c) => {
      const body = parseWith(TestStreamBody, await readJson(c));
      const skipValidation = readQuery(c, PreviewQuery).skip_validation === 'true';
      return respondPreview(
        c,
        await previewStream(engine, compile, body.stream, body.record_ids, skipValidation),
      );
    },
  });

  routes.add({
    method: 'post',
    path: '/import/streams/:id/test-transform',
    summary:
      'Transform cached records with a saved stream, with optional unsaved changes merged over ' +
      'it (JSON merge patch)',
    tag: 'streams',
    body: TestTransformBody,
    query: PreviewQuery,
    response: TransformPreviewSchema,
    errorStatuses: [403, 404, 422],
    handler: async (c) => {
      const body = parseWith(TestTransformBody, await readJson(c));
      const skipValidation = readQuery(c, PreviewQuery).skip_validation === 'true';
      const saved = await findStream(engine, c.req.param('id')!);
      const candidate = parseWith(StreamCreateSchema, mergePatch(saved, body.stream ?? {}), [
        'stream',
      ]);
      return respondPreview(
        c,
        await previewStream(engine, compile, candidate, body.record_ids, skipValidation),
      );
    },
  });
}
