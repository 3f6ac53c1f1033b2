import { z } from 'zod';
import { NameSchema, TimestampSchema, UuidSchema } from './common';

const TemplateStringSchema = z.string().max(65_536);
const HeaderNameSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a valid HTTP header name');

/** Header names whose values are always credentials, whether or not secret_headers lists them. */
const CREDENTIAL_HEADER = /^(?:proxy-)?authorization$|-(?:key|token)$/i;

/**
 * Whether a header's value is a write-only secret: a credential name, or listed in the template's
 * secret_headers.
 */
export function isSecretHeader(name: string, secretHeaders: readonly string[] = []): boolean {
  const lower = name.toLowerCase();
  return (
    CREDENTIAL_HEADER.test(name) || secretHeaders.some((listed) => listed.toLowerCase() === lower)
  );
}

export const RequestTemplateSchema = z.object({
  method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE', 'GET']).default('POST'),
  uri: z.string().trim().min(1).max(4096),
  /**
   * Sent with every request. Values of secret headers (see secret_headers) are write-only: stored
   * encrypted, never returned or audited; a PATCH that leaves them out keeps them, unless the URI's
   * scheme, host or port changes (422 `secret_required` on the header: enter it again).
   */
  headers: z
    .record(HeaderNameSchema, TemplateStringSchema)
    .refine((headers) => Object.keys(headers).length <= 100, 'may have at most 100 headers')
    .optional(),
  /**
   * (ext) Headers whose values are credentials, beyond those that always are (`Authorization`,
   * `Proxy-Authorization`, and names ending in `-Key` or `-Token`, case-insensitive). On read: the
   * names of every secret header that has a stored value, whose values `headers` leaves out.
   * Leaving a stored secret header out of a new list needs its value again (422 `secret_required`):
   * a secret never becomes readable by being unlisted.
   */
  secret_headers: z.array(HeaderNameSchema).max(100).optional(),
  body: TemplateStringSchema.optional(),
});
export type RequestTemplate = z.infer<typeof RequestTemplateSchema>;

export const DESTINATION_TYPES = ['webhook_record', 'webhook_batch', 'kafka_topic'] as const;
export const BATCH_FORMATS = ['json', 'csv', 'parquet', 'iceberg'] as const;

export const DestinationCreateSchema = z
  .object({
    name: NameSchema,
    type: z.enum(DESTINATION_TYPES),
    record_schema: z.record(z.string(), z.unknown()),
    webhook_record: z
      .object({
        request_template: RequestTemplateSchema,
        max_concurrency: z.number().int().min(1).max(64).optional(),
      })
      .optional(),
    webhook_batch: z
      .object({
        request_template: RequestTemplateSchema,
        format: z.enum(BATCH_FORMATS).default('json'),
        max_records_per_batch: z.number().int().min(1).max(10_000).default(1000),
      })
      .optional(),
    kafka_topic: z.record(z.string(), z.unknown()).optional(),
    max_records_per_minute: z.number().int().min(1).max(1_000_000).default(3000),
    max_concurrency: z.number().int().min(1).max(64).default(1),
    /**
     * (ext) How long one request may take before it times out and is retried; the engine's deadline
     * (30 s) otherwise.
     */
    timeout_seconds: z.number().int().min(1).max(600).optional(),
  })
  .superRefine((value, ctx) => {
    if (value[value.type] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [value.type],
        message: `is required when type is "${value.type}"`,
      });
    }
  });
export type DestinationCreate = z.infer<typeof DestinationCreateSchema>;

export const DestinationSchema = z.looseObject({
  id: UuidSchema,
  name: z.string(),
  type: z.enum(DESTINATION_TYPES),
  record_schema: z.record(z.string(), z.unknown()),
  max_records_per_minute: z.number(),
  max_concurrency: z.number(),
  timeout_seconds: z.number().optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Destination = z.infer<typeof DestinationSchema>;
