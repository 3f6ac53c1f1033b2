// Extract endpoints: trigger, list, get; and reads of a dataset's cached records (random sample,
// lineage).
import { z } from 'zod';
import { ListEnvelope, ListQuerySchema, SuccessEnvelope } from '../../lib/prequel/contract/common';
import { ExtractSchema } from '../../lib/prequel/contract/job';
import { RandomSampleSchema, RecordLineageSchema } from '../../lib/prequel/contract/records';
import { recordAudit } from '../audit/record-audit';
import { readRandomSample } from '../cache/cached-records';
import type { EngineContext, RequestVariables } from '../engine-context';
import { badRequest, conflict, notFound } from '../http/api-error';
import { requestCancel } from '../jobs/cancel-job';
import type { ApiRoutes } from '../http/api-routes';
import { fetchPage, nextUrl } from '../http/pagination';
import { parseWith, readJson, readQuery } from '../http/read-input';
import { requireById } from '../http/require-by-id';
import { respond, respondList } from '../http/respond';
import { withTransaction } from '../store/db';
import { isUuid } from '../store/uuid';
import { extractResponse, type ExtractRow } from './extract-record';
import { readRecordLineage } from './record-lineage';
import { triggerExtractIn } from './trigger-extract';

const requireDataset = (engine: EngineContext, id: string) =>
  requireById<{ id: string; provider_id: string }>(
    engine.db,
    'dataset',
    'select id, provider_id from datasets where id = $1',
    id,
  );

const ExtractListQuery = ListQuerySchema.extend({ dataset_id: z.string().max(64).optional() });
const ExtractBody = z.object({
  full_refresh: z
    .boolean()
    .optional()
    .describe(
      '(ext) read the whole table again rather than what changed since the last run (and find ' +
        'hard deletes where configured)',
    ),
});
const SampleBody = z.object({ sample_size: z.number().int().min(1).max(1000) });
const RecordQuery = z.object({ as_of: z.iso.datetime({ offset: true }).optional() });
const ExtractResponse = SuccessEnvelope('extract', ExtractSchema);

export function addExtractRoutes(routes: ApiRoutes<RequestVariables>, engine: EngineContext) {
  routes.add({
    method: 'post',
    path: '/import/datasets/:id/extract',
    summary:
      'Start an extract of the dataset (returns the queued or running one if there is one; a ' +
      'full refresh while an ordinary extract runs is 409); audited as IMPORT_EXTRACT_REQUEST',
    tag: 'extracts',
    audited: true,
    body: ExtractBody,
    response: ExtractResponse,
    successStatus: 201,
    errorStatuses: [404, 409],
    handler: async (c) => {
      const dataset = await requireDataset(engine, c.req.param('id')!);
      const body = parseWith(ExtractBody, await readJson(c, { optional: true }));
      const fullRefresh = body.full_refresh === true;
      // Audited even when it joins the running extract: the request and its reason are what support
      // looks for.
      const { extract, created } = await withTransaction(engine.db, async (client) => {
        const triggered = await triggerExtractIn(client, dataset.id, 'api', { fullRefresh });
        if (fullRefresh && !triggered.extract.full_refresh) {
          throw conflict(
            'extract_running',
            'An extract of this dataset is running and reads only what changed: cancel it or let ' +
              'it finish, then ask for the full refresh again.',
          );
        }
        await recordAudit(client, {
          eventType: 'IMPORT_EXTRACT_REQUEST',
          resourceId: triggered.extract.id,
          actor: c.get('actor'),
          note: c.get('auditNote'),
          object: extractResponse(triggered.extract),
          previousObject: null,
          providerId: dataset.provider_id,
        });
        return triggered;
      });
      return respond(
        c,
        'extract',
        extractResponse(extract),
        created ? 'Extract queued.' : 'An extract of this dataset is already queued or running.',
        201,
      );
    },
  });

  routes.add({
    method: 'post',
    path: '/import/extracts/:id/cancel',
    summary:
      '(ext) Cancel an extract: a queued one never starts; a running one stops at its next ' +
      'checkpoint with status cancelled, keeping the chunks it committed (the next run resumes ' +
      'from them); audited as IMPORT_EXTRACT_CANCEL',
    tag: 'extracts',
    audited: true,
    response: ExtractResponse,
    errorStatuses: [404, 409],
    handler: async (c) => {
      const id = c.req.param('id')!;
      const result = await withTransaction(engine.db, async (client) => {
        const found = await requireById<ExtractRow & { provider_id: string }>(
          client,
          'extract',
          'select e.*, d.provider_id from extracts e join datasets d on d.id = e.dataset_id ' +
            'where e.id = $1 for update of e',
          id,
        );
        const cancel = await requestCancel<ExtractRow>(client, 'extracts', id);
        if (cancel.outcome === 'finished')
          throw conflict(
            'not_cancellable',
            `The extract has already ${found.status}: there is nothing to cancel.`,
          );
        // A queued extract that never ran: the dataset's next scheduled run is a period away, as
        // after any run.
        if (cancel.outcome === 'cancelled') {
          await client.query(
            `insert into dataset_state (dataset_id, next_run_at) select $1, clock_timestamp() +
              make_interval(mins => (body->>'frequency_minutes')::int) from datasets where id = $1
             on conflict (dataset_id) do update set next_run_at = excluded.next_run_at,
               updated_at = clock_timestamp()`,
            [found.dataset_id],
          );
        }
        const object = extractResponse(cancel.row);
        await recordAudit(client, {
          eventType: 'IMPORT_EXTRACT_CANCEL',
          resourceId: id,
          actor: c.get('actor'),
          note: c.get('auditNote'),
          object,
          previousObject: extractResponse(found),
          providerId: found.provider_id,
        });
        return { object, outcome: cancel.outcome };
      });
      return respond(
        c,
        'extract',
        result.object,
        result.outcome === 'cancelled'
          ? 'Extract cancelled.'
          : 'Cancel requested: the extract stops at its next checkpoint.',
      );
    },
  });

  routes.add({
    method: 'get',
    path: '/import/extracts',
    summary: 'List extracts',
    tag: 'extracts',
    query: ExtractListQuery,
    response: ListEnvelope('extracts', ExtractSchema),
    handler: async (c) => {
      const query = readQuery(c, ExtractListQuery);
      if (query.dataset_id !== undefined && !isUuid(query.dataset_id))
        throw badRequest('invalid_request', 'dataset_id must be a UUID.', [
          { path: 'dataset_id', message: 'must be a UUID' },
        ]);
      const where = query.dataset_id
        ? [{ sql: 'dataset_id = $1', params: [query.dataset_id] }]
        : [];
      const page = await fetchPage<ExtractRow>(engine.db, {
        table: 'extracts',
        idType: 'uuid',
        where,
        query,
      });
      return respondList(
        c,
        'extracts',
        page.rows.map(extractResponse),
        nextUrl(c, engine.publicUrl, page.nextCursor, query),
        `Found ${page.rows.length} extracts.`,
      );
    },
  });

  routes.add({
    method: 'get',
    path: '/import/extracts/:id',
    summary: 'Get an extract: status, counters, progress and error',
    tag: 'extracts',
    response: ExtractResponse,
    errorStatuses: [404],
    handler: async (c) => {
      const extract = await requireById<ExtractRow>(
        engine.db,
        'extract',
        'select * from extracts where id = $1',
        c.req.param('id')!,
      );
      return respond(c, 'extract', extractResponse(extract), `Extract is ${extract.status}.`);
    },
  });

  routes.add({
    method: 'post',
    path: '/import/datasets/:id/random-sample',
    summary: 'A random sample of the cached records, each with its _prequel_record_id',
    tag: 'datasets',
    body: SampleBody,
    response: z.object({
      status: z.literal('success'),
      data: RandomSampleSchema,
      message: z.string(),
    }),
    errorStatuses: [404],
    handler: async (c) => {
      const dataset = await requireDataset(engine, c.req.param('id')!);
      const { sample_size } = parseWith(SampleBody, await readJson(c));
      const sample = await readRandomSample(engine, dataset.id, sample_size);
      return c.json({
        status: 'success',
        data: sample,
        message: `Sampled ${sample.records.length} records.`,
      });
    },
  });

  routes.add({
    method: 'get',
    path: '/import/datasets/:id/records/:record_id',
    summary: 'Lineage of one record: extract, transform, validate_schema and load stages',
    tag: 'datasets',
    query: RecordQuery,
    response: SuccessEnvelope('record', RecordLineageSchema),
    errorStatuses: [404],
    handler: async (c) => {
      const dataset = await requireDataset(engine, c.req.param('id')!);
      const { as_of } = readQuery(c, RecordQuery);
      const recordId = c.req.param('record_id')!;
      const record = await readRecordLineage(engine, dataset.id, recordId, as_of);
      if (!record) throw notFound('record', recordId);
      return respond(c, 'record', record, 'Found record.');
    },
  });
}
