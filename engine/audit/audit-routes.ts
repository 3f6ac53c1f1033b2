// GET /logs and GET /logs/{id}: the audit trail of every configuration change.
import { z } from 'zod';
import { AuditLogSchema } from '../../lib/prequel/contract/audit-log';
import { ListEnvelope, ListQuerySchema, SuccessEnvelope } from '../../lib/prequel/contract/common';
import type { EngineContext, RequestVariables } from '../engine-context';
import { notFound } from '../http/api-error';
import type { ApiRoutes } from '../http/api-routes';
import { fetchPage, nextUrl } from '../http/pagination';
import { readQuery } from '../http/read-input';
import { respond, respondList } from '../http/respond';
import { toRfc3339 } from '../store/db';

const MinTimeSchema = z
  .string()
  .max(64)
  .refine((value) => /^\d+(\.\d+)?$/.test(value) || !Number.isNaN(Date.parse(value)), 'must be a Unix timestamp or an RFC 3339 time')
  .transform((value) => (/^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000).toISOString() : new Date(value).toISOString()));

const LogsQuerySchema = ListQuerySchema.extend({
  event_type: z.string().max(128).optional(),
  resource_id: z.string().max(256).optional(),
  min_time: MinTimeSchema.optional(),
});

type AuditRow = {
  id: string;
  created_at: string;
  event_type: string;
  resource_id: string;
  actor: unknown;
  object: unknown;
  previous_object: unknown;
};

const toEntry = (row: AuditRow) => ({ ...row, created_at: toRfc3339(row.created_at) });

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
        ...(query.min_time ? [{ sql: 'created_at >= $1::timestamptz', params: [query.min_time] }] : []),
      ];
      const page = await fetchPage<AuditRow>(engine.db, { table: 'audit_logs', idType: 'uuid', where, query });
      return respondList(c, 'logs', page.rows.map(toEntry), nextUrl(c, engine.publicUrl, page.nextCursor, query), `Found ${page.rows.length} log entries.`);
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
      const id = c.req.param('id')!;
      const row = z.uuid().safeParse(id).success
        ? (await engine.db.query<AuditRow>('select * from audit_logs where id = $1', [id])).rows[0]
        : undefined;
      if (!row) throw notFound('log entry', id);
      return respond(c, 'log', toEntry(row), 'Found log entry.');
    },
  });
}
