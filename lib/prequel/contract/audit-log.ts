import { z } from 'zod';
import { TimestampSchema } from './common';

/**
 * (ext) Who acted and why, sent with a change by a caller that acts for someone else (the support
 * console acts for its staff with the one API key). Values are UTF-8, percent-encoded as by
 * encodeURIComponent, because a header cannot carry most of Unicode; plain ASCII without `%` needs
 * no encoding.
 */
export const AUDIT_HEADERS = { actorLabel: 'X-Inlet-Actor', reason: 'X-Inlet-Reason' } as const;

// Control characters (CR/LF among them) and bidi overrides, which would let a value break or
// disguise a log line.
const UNPRINTABLE = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

const noteText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine(
      (value) => !UNPRINTABLE.test(value),
      'must not contain control characters or line breaks',
    );

/**
 * `support:ada@saas.example`, `customer:acme`: who asked for the change, as the caller names them.
 */
export const ActorLabelSchema = noteText(200);
/** Why, in the staff member's words. */
export const ReasonSchema = noteText(1000);

export const AuditLogSchema = z.object({
  id: z.string(),
  created_at: TimestampSchema,
  event_type: z.string(),
  resource_id: z.string(),
  actor: z.object({
    actor_id: z.string(),
    type: z.enum(['unknown', 'user', 'api_key', 'provider']),
  }),
  object: z.unknown().nullable(),
  previous_object: z.unknown().nullable(),
  actor_label: z
    .string()
    .nullable()
    .describe(`(ext) who acted, as the caller named them in ${AUDIT_HEADERS.actorLabel}`),
  reason: z
    .string()
    .nullable()
    .describe(`(ext) why, as the caller said in ${AUDIT_HEADERS.reason}`),
  provider_id: z
    .string()
    .nullable()
    .describe('(ext) the provider (tenant) the object belongs to; null for shared configuration'),
});
export type AuditLog = z.infer<typeof AuditLogSchema>;

const providerIdOf = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { provider_id?: unknown }).provider_id === 'string'
    ? (value as { provider_id: string }).provider_id
    : null;

/**
 * Pure: the provider an entry is about: the provider itself, or the provider its object names; null
 * for shared configuration.
 */
export function providerOfAuditEntry(
  entry: Pick<AuditLog, 'event_type' | 'resource_id' | 'object' | 'previous_object'>,
): string | null {
  if (entry.event_type.startsWith('IMPORT_PROVIDER_')) return entry.resource_id;
  return providerIdOf(entry.object) ?? providerIdOf(entry.previous_object);
}
