// The audit log through the Import API: every create, update and delete, and every requested
// extract or load, with who did it and why.
import 'server-only';
import { z } from 'zod';
import { getCapabilities, requireCapability } from './capabilities';
import { type AuditNote, prequelFetch, type PrequelResult } from './client';
import { AuditLogSchema, providerOfAuditEntry } from './contract/audit-log';
import { itemEnvelope, type Page, pageEnvelope, type PageQuery, pageParams } from './envelope';

// The hosted API may name actor types we do not know and does not send our (ext) fields; the entry
// is still worth showing.
const AuditEntrySchema = z.looseObject({
  ...AuditLogSchema.shape,
  actor: z.looseObject({ actor_id: z.string(), type: z.string() }),
  actor_label: AuditLogSchema.shape.actor_label.default(null),
  reason: AuditLogSchema.shape.reason.default(null),
  provider_id: AuditLogSchema.shape.provider_id.default(null),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

const entryPage = pageEnvelope('logs', AuditEntrySchema);
const entryItem = itemEnvelope('log', AuditEntrySchema);

export type AuditLogQuery = PageQuery & {
  /** `IMPORT_SOURCE_ADD`, `IMPORT_EXTRACT_REQUEST`, … */
  eventType?: string;
  since?: Date;
  /** Entries about one object (the API's `resource_id`). */
  objectId?: string;
  /** Entries about one provider and its sources, datasets, streams, extracts and loads. */
  providerId?: string;
};

/** One page of entries, newest first, narrowed by the filters given. */
export async function listAuditLog({
  eventType,
  since,
  objectId,
  providerId,
  ...query
}: AuditLogQuery = {}): Promise<PrequelResult<Page<AuditEntry>>> {
  // Unix seconds: the form the hosted API documents for min_time.
  const minTime = since ? Math.floor(since.getTime() / 1000) : undefined;
  const filters = {
    ...pageParams(query),
    event_type: eventType,
    min_time: minTime,
    resource_id: objectId,
  };
  if (providerId === undefined) return prequelFetch('/logs', entryPage, { query: filters });

  const capabilities = await getCapabilities();
  if (!capabilities.ok) return capabilities;
  const result = await prequelFetch('/logs', entryPage, {
    query: {
      ...filters,
      provider_id: capabilities.data.auditProviderFilter ? providerId : undefined,
    },
  });
  if (!result.ok) return result;
  // Without the (ext) filter the page holds every tenant's entries; a tenant's timeline must show
  // only its own.
  const items = result.data.items.filter(
    (entry) => (entry.provider_id ?? providerOfAuditEntry(entry)) === providerId,
  );
  return { ok: true, data: { items, nextCursor: result.data.nextCursor } };
}

export function getAuditEntry(id: string): Promise<PrequelResult<AuditEntry>> {
  return prequelFetch(`/logs/${encodeURIComponent(id)}`, entryItem);
}

const supportEventItem = itemEnvelope('log', AuditEntrySchema);

/**
 * (ext) Records a support action taken outside the API (a reconnect link sent) in the tenant's
 * trail; needs a reason. `not_supported` where the API keeps no such trail.
 */
export async function recordSupportEvent(
  providerId: string,
  type: 'reconnect_link_sent',
  note: AuditNote & { reason: string },
): Promise<PrequelResult<AuditEntry>> {
  const supported = await requireCapability('supportEvents', 'a trail of support actions');
  if (!supported.ok) return supported;
  return prequelFetch(
    `/import/providers/${encodeURIComponent(providerId)}/support-events`,
    supportEventItem,
    { method: 'POST', body: { event: { type } }, audit: note },
  );
}
