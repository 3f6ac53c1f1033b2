import { z } from 'zod';
import { NameSchema, TimestampSchema, UuidSchema } from './common';

const ColumnNameSchema = z.string().min(1).max(255);

const TableMethodSchema = z.object({
  source_table_namespace: z.string().trim().min(1).max(255),
  source_table_name: z.string().trim().min(1).max(255),
});
const SqlMethodSchema = z.object({ query: z.string().trim().min(1).max(100_000) });
const GlobMethodSchema = z.object({
  pattern: z.string().trim().min(1).max(1024),
  format: z.enum(['csv', 'jsonl', 'parquet']),
  has_header: z.boolean().optional(),
});

const DimensionSchema = z.object({
  primary_key_column: ColumnNameSchema,
  last_modified_column: ColumnNameSchema.optional(),
  is_deleted_column: ColumnNameSchema.optional(),
  detect_hard_deletes: z.boolean().optional(),
});
const FactSchema = z.object({
  primary_key_column: ColumnNameSchema,
  created_at_column: ColumnNameSchema,
});

export const DATASET_METHODS = ['table', 'sql', 'glob'] as const;
export const DATASET_TYPES = ['dimension', 'fact'] as const;

export const DatasetCreateSchema = z
  .object({
    name: NameSchema.optional(),
    source_id: UuidSchema,
    frequency_minutes: z.number().int().min(1).max(525_600).default(60),
    method: z.enum(DATASET_METHODS).default('table'),
    table: TableMethodSchema.optional(),
    sql: SqlMethodSchema.optional(),
    glob: GlobMethodSchema.optional(),
    type: z.enum(DATASET_TYPES),
    dimension: DimensionSchema.optional(),
    fact: FactSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (value[value.method] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [value.method],
        message: `is required when method is "${value.method}"`,
      });
    }
    if (value[value.type] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [value.type],
        message: `is required when type is "${value.type}"`,
      });
    }
  });
export type DatasetCreate = z.infer<typeof DatasetCreateSchema>;

/**
 * (ext) A mapped column that disappeared (`removed`) or changed type at the source, with the
 * streams and fields it feeds.
 */
export const DriftedColumnSchema = z.looseObject({
  name: z.string(),
  change: z.enum(['removed', 'type_changed']),
  previous_type: z.string().nullable(),
  current_type: z.string().nullable(),
  /** A column that appeared with the same type as this one went: probably its new name. */
  renamed_to: z.string().nullable(),
  streams: z.array(z.object({ stream_id: z.string(), target_fields: z.array(z.string()) })),
});
export type DriftedColumn = z.infer<typeof DriftedColumnSchema>;

export const SchemaDriftSchema = z.looseObject({
  columns: z.array(DriftedColumnSchema),
  new_columns: z.array(z.string()),
});
export type SchemaDrift = z.infer<typeof SchemaDriftSchema>;

export const DatasetSchema = z.looseObject({
  id: UuidSchema,
  name: z.string(),
  source_id: z.string(),
  provider_id: z.string(),
  frequency_minutes: z.number(),
  method: z.enum(DATASET_METHODS),
  type: z.enum(DATASET_TYPES),
  schema_drift: SchemaDriftSchema.nullable()
    .optional()
    .describe(
      '(ext) how the source columns drifted from what the mappings read; null when they did not',
    ),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Dataset = z.infer<typeof DatasetSchema>;
