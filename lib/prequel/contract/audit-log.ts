import { z } from 'zod';
import { TimestampSchema } from './common';

export const AuditLogSchema = z.object({
  id: z.string(),
  created_at: TimestampSchema,
  event_type: z.string(),
  resource_id: z.string(),
  actor: z.object({ actor_id: z.string(), type: z.enum(['unknown', 'user', 'api_key', 'provider']) }),
  object: z.unknown().nullable(),
  previous_object: z.unknown().nullable(),
});
export type AuditLog = z.infer<typeof AuditLogSchema>;
