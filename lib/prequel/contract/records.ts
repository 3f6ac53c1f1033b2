// Zod schemas of reads of a dataset's cached records: random sample, mapping previews and record
// lineage.
import { z } from 'zod';
import { TimestampSchema } from './common';

/** The id of a cached record in sample and preview records (ours). */
export const RECORD_ID_FIELD = '_prequel_record_id';

export const SampleColumnSchema = z.looseObject({
  name: z.string(),
  database_type_name: z.string(),
  length: z.number().nullable(),
  precision: z.number().nullable(),
  scale: z.number().nullable(),
  nullable: z.boolean(),
});
export type SampleColumn = z.infer<typeof SampleColumnSchema>;

const RecordSchema = z.record(z.string(), z.unknown());

export const RandomSampleSchema = z.looseObject({
  schema: z.array(SampleColumnSchema),
  records: z.array(RecordSchema),
});
export type RandomSample = z.infer<typeof RandomSampleSchema>;

export const PreviewErrorSchema = z.looseObject({
  record_id: z.string(),
  target_field: z.string().optional(),
  stage: z.enum(['extract', 'transform', 'validate_schema']),
  message: z.string(),
  /** What to change in the mapping (ours). */
  fix: z.string().optional(),
});
export type PreviewError = z.infer<typeof PreviewErrorSchema>;

/**
 * The body of test-stream and test-transform: the transformed records, and (ext) what failed, per
 * record and field.
 */
export const PreviewSchema = z.looseObject({
  schema: z.array(SampleColumnSchema),
  records: z.array(RecordSchema),
  errors: z
    .array(PreviewErrorSchema)
    .optional()
    .describe('(ext) per record and target field, so a preview can point at the cell'),
});
export type Preview = z.infer<typeof PreviewSchema>;

const StageErrorSchema = z.looseObject({ error_code: z.string(), error_trace: z.string() });

const stageFields = { error: StageErrorSchema.nullable(), is_deleted: z.boolean() };
const ExtractStageSchema = z.looseObject({
  last_extracted_at: TimestampSchema.nullable(),
  data: z.unknown(),
  ...stageFields,
});
const TransformStageSchema = z.looseObject({
  last_transformed_at: TimestampSchema.nullable(),
  data: z.unknown(),
  ...stageFields,
});
const ValidateStageSchema = z.looseObject({
  last_validated_at: TimestampSchema.nullable(),
  ...stageFields,
});
const LoadStageSchema = z.looseObject({
  last_loaded_at: TimestampSchema.nullable(),
  data: z.unknown(),
  ...stageFields,
  redelivery: z
    .boolean()
    .optional()
    .describe('(ext) the last load of the record was a redelivery of every record'),
});

/** One record at each stage of the pipeline; a stage it has not reached is null. */
export const RecordLineageSchema = z.looseObject({
  record_id: z.string(),
  extract: ExtractStageSchema.nullable().optional(),
  transform: TransformStageSchema.nullable().optional(),
  validate_schema: ValidateStageSchema.nullable().optional(),
  load: LoadStageSchema.nullable().optional(),
});
export type RecordLineage = z.infer<typeof RecordLineageSchema>;
