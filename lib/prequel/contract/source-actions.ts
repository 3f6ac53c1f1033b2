import { z } from 'zod';

/** Portable column types; `raw_type` keeps the database's own name. */
export const PREQUEL_TYPES = [
  'string',
  'integer',
  'decimal',
  'float',
  'boolean',
  'timestamp',
  'date',
  'time',
  'json',
  'bytes',
  'uuid',
  'array',
] as const;
export type PrequelType = (typeof PREQUEL_TYPES)[number];

export const SchemaColumnSchema = z.object({
  name: z.string(),
  raw_type: z.string(),
  prequel_type: z.enum(PREQUEL_TYPES),
  ordinal_position: z.number().int(),
  is_nullable: z.boolean(),
});
export type SchemaColumn = z.infer<typeof SchemaColumnSchema>;

export const CHECK_NAMES = ['dns', 'tcp', 'tls', 'auth', 'privileges'] as const;

export const ConnectionCheckSchema = z.object({
  name: z.enum(CHECK_NAMES),
  status: z.enum(['passed', 'failed', 'skipped']),
  message: z.string(),
  /** What the customer should do; present on failures. */
  hint: z.string().optional(),
  /**
   * The request field the failure concerns (`postgres.password_auth.password`), so a form can point
   * at it.
   */
  field: z.string().optional(),
  duration_ms: z.number(),
});
export type ConnectionCheck = z.infer<typeof ConnectionCheckSchema>;

export const TestSourceResultSchema = z.object({
  code: z.enum(['success', 'failure']),
  message: z.string(),
  checks: z
    .array(ConnectionCheckSchema)
    .describe('(ext) dns, tcp, tls, auth and privileges, each passed, failed or skipped'),
});
export type TestSourceResult = z.infer<typeof TestSourceResultSchema>;

export const GetSchemaRequestSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('table'),
    table: z.object({
      source_table_namespace: z.string().min(1).max(255),
      source_table_name: z.string().min(1).max(255),
    }),
  }),
  z.object({
    method: z.literal('sql'),
    sql: z.object({ query: z.string().trim().min(1).max(100_000) }),
  }),
  z.object({
    method: z.literal('glob'),
    glob: z.object({
      pattern: z.string().min(1).max(1024),
      format: z.enum(['csv', 'jsonl', 'parquet']),
    }),
  }),
]);
export type GetSchemaRequest = z.infer<typeof GetSchemaRequestSchema>;

export const SourceTableSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  estimated_rows: z.number().nullable(),
  primary_key: z.array(z.string()),
  candidate_last_modified_columns: z.array(z.string()),
  /**
   * Timestamp columns named like a creation time (created_at…), best first: the fact dataset's
   * created_at_column.
   */
  candidate_created_at_columns: z.array(z.string()),
  candidate_is_deleted_columns: z.array(z.string()),
  suggested_type: z.enum(['dimension', 'fact']),
  /** Whether a dataset can be made from it as is: ready, or what is missing. */
  readiness: z.enum(['ready', 'no_primary_key', 'no_select_privilege']),
});
export type SourceTable = z.infer<typeof SourceTableSchema>;
