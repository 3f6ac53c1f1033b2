// GET /logs and GET /logs/{id}: the audit trail of every configuration change and every requested
// extract or load.
import { z } from 'zod';
import { type AuditLog, AuditLogSchema } from '../../lib/prequel/contract/audit-log';
import { ListEnvelope, ListQuerySchema, SuccessEnvelope } from '../../lib/prequel/contract/common';
import type { EngineContext, RequestVariables } from '../engine-context';
import { badRequest, notFound } from '../http/api-error';
import type { ApiRoutes } from '../http/api-routes';
import { fetchPage, nextUrl } from '../http/pagination';
import { parseWith, readJson, readQuery } from '../http/read-input';
import { requireById } from '../http/require-by-id';
import { recordAudit } from './record-audit';
import { respond, respondList } from '../http/respond';
import { toRfc3339 } from '../store/db';

const MinTimeSchema = z
  .string()
  .max(64)
  .refine(
    (value) => /^\d+(\.\d+)?$/.test(value) || !Number.isNaN(Date.parse(value)),
    'must be a Unix timestamp or an RFC 3339 time',
  )
  .transform((value) =>
    /^\d+(\.\d+)?$/.test(value)
      ? new Date(Number(value) * 1000).toISOString()
      : new Date(value).toISOString(),
  );

const LogsQuerySchema = ListQuerySchema.extend({
  event_type: z.string().max(128).optional(),
  resource_id: z
    .string()
    .max(256)
    .optional()
    .describe('the id of the object the entries are about'),
  provider_id: z
    .string()
    .max(256)
    .optional()
    .describe(
      '(ext) only entries about this provider and its sources, datasets, streams, extracts and ' +
        'loads',
    ),
  min_time: MinTimeSchema.optional(),
});

/** (ext) Things support staff do outside the API that still belong in a tenant's audit trail. */
export const SUPPORT_EVENT_TYPES = ['reconnect_link_sent'] as const;
const SupportEventBody = z.object({ event: z.object({ type: z.enum(SUPPORT_EVENT_TYPES) }) });

type AuditRow = {
  id: string;
  created_at: string;
  event_type: string;
  resource_id: string;
  actor: unknown;
  object: unknown;
  previous_object: unknown;
  actor_label: string | null;
  reason: string | null;
  provider_id: string | null;
};

const toEntry = (row: AuditRow): AuditLog => ({
  id: row.id,
  created_at: toRfc3339(row.created_at),
  event_type: row.event_type,
  resource_id: row.resource_id,
  actor: row.actor as AuditLog['actor'],
  object: row.object,
  previous_object: row.previous_object,
  actor_label: row.actor_label,
  reason: row.reason,
  provider_id: row.provider_id,
});

export function addAuditRoutes(routes: ApiRoutes<RequestVariables>, engine: EngineContext) {
  routes.add({
    method: 'get',
    path: '/logs',
    summary: 'List audit log entries',
    tag: 'logs',
    query: LogsQuerySchema,
    response: ListEnvelope('logs', AuditLogSchema),
    handler: async (c) => {
      const query = readQuery(c, LogsQuerySchema);
      const where = [
        ...(query.event_type ? [{ sql: 'event_type = $1', params: [query.event_type] }] : []),
        ...(query.resource_id ? [{ sql: 'resource_id = $1', params: [query.resource_id] }] : []),
        ...(query.provider_id ? [{ sql: 'provider_id = $1', params: [query.provider_id] }] : []),
        ...(query.min_time
          ? [{ sql: 'created_at >= $1::timestamptz', params: [query.min_time] }]
          : []),
      ];
      const page = await fetchPage<AuditRow>(engine.db, {
        table: 'audit_logs',
        idType: 'uuid',
        where,
        query,
      });
      return respondList(
        c,
        'logs',
        page.rows.map(toEntry),
        nextUrl(c, engine.publicUrl, page.nextCursor, query),
        `Found ${page.rows.length} log entries.`,
      );
    },
  });

  routes.add({
    method: 'post',
    path: '/import/providers/:id/support-events',
    summary:
      '(ext) Record a support action taken outside the API (a reconnect link sent) in the audit ' +
      'log; needs X-Inlet-Reason',
    tag: 'logs',
    audited: true,
    body: SupportEventBody,
    response: SuccessEnvelope('log', AuditLogSchema),
    successStatus: 201,
    errorStatuses: [400, 404],
    handler: async (c) => {
      const providerId = c.req.param('id')!;
      const body = parseWith(SupportEventBody, await readJson(c));
      const note = c.get('auditNote');
      if (!note?.reason)
        throw badRequest(
          'reason_required',
          'Say why in the X-Inlet-Reason header: support events are kept for their reason.',
        );
      const provider = (
        await engine.db.query<{ id: string }>('select id from providers where id = $1', [
          providerId,
        ])
      ).rows[0];
      if (!provider) throw notFound('provider', providerId);
      const eventType = `SUPPORT_${body.event.type.toUpperCase()}`;
      await recordAudit(engine.db, {
        eventType,
        resourceId: providerId,
        actor: c.get('actor'),
        note,
        object: { type: body.event.type, provider_id: providerId },
        previousObject: null,
        providerId,
      });
      const row = (
        await engine.db.query<AuditRow>(
          'select * from audit_logs where resource_id = $1 and event_type = $2 order by ' +
            'created_at desc, id desc limit 1',
          [providerId, eventType],
        )
      ).rows[0]!;
      return respond(c, 'log', toEntry(row), 'Support event recorded.', 201);
    },
  });

  routes.add({
    method: 'get',
    path: '/logs/:id',
    summary: 'Get an audit log entry',
    tag: 'logs',
    response: SuccessEnvelope('log', AuditLogSchema),
    errorStatuses: [404],
    handler: async (c) => {
      const row = await requireById<AuditRow>(
        engine.db,
        'log entry',
        'select * from audit_logs where id = $1',
        c.req.param('id')!,
      );
      return respond(c, 'log', toEntry(row), 'Found log entry.');
    },
  });
}
