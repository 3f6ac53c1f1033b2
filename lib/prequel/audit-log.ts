// The audit log through the Import API: every create, update and delete, with who did it.
import 'server-only';
import { z } from 'zod';
import { prequelFetch, type PrequelResult } from './client';
import { AuditLogSchema } from './contract/audit-log';
import { itemEnvelope, type Page, pageEnvelope, type PageQuery, pageParams } from './envelope';

// The hosted API may name actor types we do not know; the entry is still worth showing.
const AuditEntrySchema = z.looseObject({ ...AuditLogSchema.shape, actor: z.looseObject({ actor_id: z.string(), type: z.string() }) });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

const entryPage = pageEnvelope('logs', AuditEntrySchema);
const entryItem = itemEnvelope('log', AuditEntrySchema);

/** One page of entries, newest first; `eventType` (`IMPORT_SOURCE_ADD`) and `since` narrow it. */
export function listAuditLog({ eventType, since, ...query }: PageQuery & { eventType?: string; since?: Date } = {}): Promise<PrequelResult<Page<AuditEntry>>> {
  // Unix seconds: the form the hosted API documents for min_time.
  const minTime = since ? Math.floor(since.getTime() / 1000) : undefined;
  return prequelFetch('/logs', entryPage, { query: { ...pageParams(query), event_type: eventType, min_time: minTime } });
}

export function getAuditEntry(id: string): Promise<PrequelResult<AuditEntry>> {
  return prequelFetch(`/logs/${encodeURIComponent(id)}`, entryItem);
}
