// Writes one audit entry per create/update/delete or requested job, in the same transaction as the
// change.
import { providerOfAuditEntry } from '../../lib/prequel/contract/audit-log';
import type { Actor, AuditNote } from '../engine-context';
import type { Queryable } from '../store/db';
import { uuidv7 } from '../store/uuid';

export type AuditAction = 'ADD' | 'UPDATE' | 'DELETE';

export interface AuditEntry {
  eventType: string;
  resourceId: string;
  actor: Actor;
  object: unknown;
  previousObject: unknown;
  /** What the caller said about who acted and why (absent for the engine's own changes). */
  note?: AuditNote;
  /**
   * The tenant, for objects that do not name their provider (extracts, loads); derived from the
   * object otherwise.
   */
  providerId?: string | null;
}

export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  const providerId =
    entry.providerId ??
    providerOfAuditEntry({
      event_type: entry.eventType,
      resource_id: entry.resourceId,
      object: entry.object,
      previous_object: entry.previousObject,
    });
  await db.query(
    `insert into audit_logs (id, event_type, resource_id, actor, object, previous_object,
      actor_label, reason, provider_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      uuidv7(),
      entry.eventType,
      entry.resourceId,
      JSON.stringify(entry.actor),
      entry.object === null ? null : JSON.stringify(entry.object),
      entry.previousObject === null ? null : JSON.stringify(entry.previousObject),
      entry.note?.actor_label ?? null,
      entry.note?.reason ?? null,
      providerId,
    ],
  );
}
