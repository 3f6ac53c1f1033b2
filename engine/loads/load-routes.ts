// Load endpoints: trigger a stream's load, list and get loads.
import { z } from 'zod';
import { ListEnvelope, ListQuerySchema, SuccessEnvelope } from '../../lib/prequel/contract/common';
import { LoadSchema } from '../../lib/prequel/contract/job';
import { recordAudit } from '../audit/record-audit';
import type { EngineContext, RequestVariables } from '../engine-context';
import { badRequest, conflict } from '../http/api-error';
import { requestCancel } from '../jobs/cancel-job';
import type { ApiRoutes } from '../http/api-routes';
import { fetchPage, nextUrl } from '../http/pagination';
import { parseWith, readJson, readQuery } from '../http/read-input';
import { requireById } from '../http/require-by-id';
import { respond, respondList } from '../http/respond';
import { withTransaction } from '../store/db';
import { isUuid } from '../store/uuid';
import { loadResponse, type LoadRow } from './load-record';
import { planRetry } from './load-retries';
import { triggerLoadIn } from './trigger-load';

const LoadBody = z
  .object({
    record_ids: z.array(z.string().min(1).max(512)).min(1).max(1000).optional(),
    redeliver: z
      .literal('all')
      .optional()
      .describe(
        '(ext) send every current record again, delivered before or not (marked as a redelivery)',
      ),
  })
  .refine((body) => !(body.record_ids && body.redeliver), {
    path: ['redeliver'],
    message: 'cannot be combined with record_ids',
  });
const LoadListQuery = ListQuerySchema.extend({ stream_id: z.string().max(64).optional() });
const LoadResponse = SuccessEnvelope('load', LoadSchema);

export function addLoadRoutes(routes: ApiRoutes<RequestVariables>, engine: EngineContext) {
  routes.add({
    method: 'post',
    path: '/import/streams/:id/load',
    summary:
      'Start a load of the stream: everything pending, only record_ids, or (ext) every current ' +
      'record again (returns the queued or running one if there is one; a redelivery while ' +
      'another load runs is 409); audited as IMPORT_LOAD_REQUEST',
    tag: 'loads',
    audited: true,
    body: LoadBody,
    response: LoadResponse,
    errorStatuses: [404, 409],
    handler: async (c) => {
      const stream = await requireById<{ id: string; provider_id: string }>(
        engine.db,
        'stream',
        'select id, provider_id from streams where id = $1',
        c.req.param('id')!,
      );
      const body = parseWith(LoadBody, await readJson(c, { optional: true }));
      // Audited even when it joins the running load: the request and its reason are what support
      // looks for.
      const { load, created } = await withTransaction(engine.db, async (client) => {
        const mode = body.redeliver ? 'redeliver' : 'pending';
        const triggered = await triggerLoadIn(client, stream.id, {
          trigger: 'api',
          mode,
          recordIds: body.record_ids,
          actor: c.get('actor'),
        });
        if (mode === 'redeliver' && triggered.load.mode !== 'redeliver') {
          throw conflict(
            'load_running',
            'A load of this stream is running: cancel it or let it finish, then ask for the ' +
              'redelivery again.',
          );
        }
        const object = loadResponse(triggered.load);
        const note = c.get('auditNote');
        await recordAudit(client, {
          eventType: 'IMPORT_LOAD_REQUEST',
          resourceId: object.id,
          actor: c.get('actor'),
          note,
          object,
          previousObject: null,
          providerId: stream.provider_id,
        });
        return triggered;
      });
      return respond(
        c,
        'load',
        loadResponse(load),
        created ? 'Load queued.' : 'A load of this stream is already queued or running.',
      );
    },
  });

  routes.add({
    method: 'post',
    path: '/import/loads/:id/cancel',
    summary:
      '(ext) Cancel a load: a queued one never starts; a running one sends no further request ' +
      'and ends cancelled, with what it delivered recorded (the next load sends the rest); ' +
      'audited as IMPORT_LOAD_CANCEL',
    tag: 'loads',
    audited: true,
    response: LoadResponse,
    errorStatuses: [404, 409],
    handler: async (c) => {
      const id = c.req.param('id')!;
      const result = await withTransaction(engine.db, async (client) => {
        const found = await requireById<LoadRow & { provider_id: string }>(
          client,
          'load',
          'select l.*, s.provider_id from loads l join streams s on s.id = l.stream_id where ' +
            'l.id = $1 for update of l',
          id,
        );
        const cancel = await requestCancel<LoadRow>(client, 'loads', id);
        if (cancel.outcome === 'finished')
          throw conflict(
            'not_cancellable',
            `The load has already ${found.status}: there is nothing to cancel.`,
          );
        // A retry that never ran leaves its records waiting: they keep a retry planned.
        if (cancel.outcome === 'cancelled')
          await planRetry(client, found.stream_id, {
            delivered: 0,
            unavailable: 0,
            notBeforeMs: null,
          });
        const object = loadResponse(cancel.row);
        await recordAudit(client, {
          eventType: 'IMPORT_LOAD_CANCEL',
          resourceId: id,
          actor: c.get('actor'),
          note: c.get('auditNote'),
          object,
          previousObject: loadResponse(found),
          providerId: found.provider_id,
        });
        return { object, outcome: cancel.outcome };
      });
      return respond(
        c,
        'load',
        result.object,
        result.outcome === 'cancelled'
          ? 'Load cancelled.'
          : 'Cancel requested: the load stops before its next request.',
      );
    },
  });

  routes.add({
    method: 'get',
    path: '/import/loads',
    summary: 'List loads',
    tag: 'loads',
    query: LoadListQuery,
    response: ListEnvelope('loads', LoadSchema),
    handler: async (c) => {
      const query = readQuery(c, LoadListQuery);
      if (query.stream_id !== undefined && !isUuid(query.stream_id))
        throw badRequest('invalid_request', 'stream_id must be a UUID.', [
          { path: 'stream_id', message: 'must be a UUID' },
        ]);
      const where = query.stream_id ? [{ sql: 'stream_id = $1', params: [query.stream_id] }] : [];
      const page = await fetchPage<LoadRow>(engine.db, {
        table: 'loads',
        idType: 'uuid',
        where,
        query,
      });
      return respondList(
        c,
        'loads',
        page.rows.map(loadResponse),
        nextUrl(c, engine.publicUrl, page.nextCursor, query),
        `Found ${page.rows.length} loads.`,
      );
    },
  });

  routes.add({
    method: 'get',
    path: '/import/loads/:id',
    summary: 'Get a load: status, counters and error',
    tag: 'loads',
    response: LoadResponse,
    errorStatuses: [404],
    handler: async (c) => {
      const load = await requireById<LoadRow>(
        engine.db,
        'load',
        'select * from loads where id = $1',
        c.req.param('id')!,
      );
      return respond(c, 'load', loadResponse(load), `Load is ${load.status}.`);
    },
  });
}
