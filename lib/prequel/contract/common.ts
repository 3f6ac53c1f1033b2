// Zod schemas of the Import API contract shared by the engine (validation, OpenAPI) and the app
// (response parsing).
import { z } from 'zod';

export const NameSchema = z.string().trim().min(1, 'must not be empty').max(255);
export const UuidSchema = z.uuid({ error: 'must be a UUID' });
export const TimestampSchema = z.string().describe('RFC 3339 UTC timestamp with microseconds');
/** Hostnames and IP literals: no scheme, no path, no spaces. */
export const HostSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(253)
  .regex(/^[A-Za-z0-9._:[\]-]+$/, 'must be a hostname or an IP address, without scheme or path');
export const PortSchema = z.number().int().min(1).max(65535);
export const SecretSchema = z.string().min(1, 'must not be empty').max(4096);

export const SuccessEnvelope = <T extends z.ZodType>(key: string, item: T) =>
  z.object({ status: z.literal('success'), data: z.object({ [key]: item }), message: z.string() });

export const ListEnvelope = <T extends z.ZodType>(key: string, item: T) =>
  z.object({
    status: z.literal('success'),
    data: z.object({ [key]: z.array(item) }),
    message: z.string(),
    has_next: z.boolean(),
    next_url: z.string().nullable(),
  });

export const ApiErrorSchema = z.object({
  status: z.literal('error'),
  message: z.string(),
  error: z.object({
    code: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorSchema>;

export const ListQuerySchema = z.object({
  page_size: z.coerce.number().int().min(1).max(100).default(10),
  order: z.enum(['asc', 'desc']).default('desc'),
  cursor: z.string().max(512).optional(),
});
export type ListQuery = z.infer<typeof ListQuerySchema>;

/** Field values that are only ever written (never read back, never logged). */
export const SECRET_FIELD_NAMES: ReadonlySet<string> = new Set([
  'password',
  'secret_key',
  'api_key',
  'shared_access_signature_token',
  'private_key',
  'service_account_key',
  'ssh_private_key',
  'token',
]);
