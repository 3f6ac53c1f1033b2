// Writes one audit entry per create/update/delete, in the same transaction as the change.
import type { Actor } from '../engine-context';
import type { Queryable } from '../store/db';
import { uuidv7 } from '../store/uuid';

export type AuditAction = 'ADD' | 'UPDATE' | 'DELETE';

export async function recordAudit(
  db: Queryable,
  entry: { eventType: string; resourceId: string; actor: Actor; object: unknown; previousObject: unknown },
): Promise<void> {
  await db.query(
    `insert into audit_logs (id, event_type, resource_id, actor, object, previous_object) values ($1, $2, $3, $4, $5, $6)`,
    [
      uuidv7(),
      entry.eventType,
      entry.resourceId,
      JSON.stringify(entry.actor),
      entry.object === null ? null : JSON.stringify(entry.object),
      entry.previousObject === null ? null : JSON.stringify(entry.previousObject),
    ],
  );
}
