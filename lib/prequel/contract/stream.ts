import { z } from 'zod';
import { NameSchema, TimestampSchema, UuidSchema } from './common';

/** A dotted path into the record (`preferences.default.channel_types.email`). */
export const TargetFieldSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a field name or a dotted path without empty segments');

export const MappingSchema = z.discriminatedUnion(
  'field_type',
  [
    z.object({
      target_field: TargetFieldSchema,
      field_type: z.literal('field'),
      column: z.object({ name: z.string().min(1).max(255) }),
    }),
    z.object({
      target_field: TargetFieldSchema,
      field_type: z.literal('expression'),
      expression: z.object({ expr: z.string().min(1).max(10_000) }),
    }),
  ],
  { error: 'must be "field" or "expression"' },
);
export type Mapping = z.infer<typeof MappingSchema>;

export const StreamCreateSchema = z.object({
  name: NameSchema,
  dataset_id: UuidSchema,
  destination_id: UuidSchema,
  mappings: z.array(MappingSchema).max(1000),
  is_enabled: z.boolean().default(true),
});
export type StreamCreate = z.infer<typeof StreamCreateSchema>;

export const StreamSchema = z.looseObject({
  id: UuidSchema,
  name: z.string(),
  dataset_id: z.string(),
  destination_id: z.string(),
  provider_id: z.string(),
  mappings: z.array(MappingSchema),
  is_enabled: z.boolean(),
  is_valid: z.boolean(),
  /**
   * Ours: set when the engine disabled the stream (its endpoint answered 410 Gone, or failed every
   * delivery for the configured period); cleared by enabling it again.
   */
  disabled_reason: z.string().nullable().optional(),
  disabled_at: TimestampSchema.nullable().optional(),
  /**
   * Ours: records the endpoint could not take yet (unavailable), retried on a schedule; null when
   * none waits. `next_retry_at` is null while the stream is paused or disabled.
   */
  retry: z
    .object({ records_waiting: z.number(), next_retry_at: TimestampSchema.nullable() })
    .nullable()
    .optional()
    .describe('(ext) records the endpoint could not take yet; null when none waits'),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Stream = z.infer<typeof StreamSchema>;
