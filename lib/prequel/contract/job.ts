// Zod schemas of the pipeline's jobs (extracts and loads): status, counters and the error that says
// whose move it is.
import { z } from 'zod';
import { TimestampSchema } from './common';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
const TERMINAL = ['succeeded', 'failed', 'cancelled'] as const satisfies readonly JobStatus[];
export type TerminalJobStatus = (typeof TERMINAL)[number];
export const TERMINAL_JOB_STATUSES: ReadonlySet<JobStatus> = new Set(TERMINAL);

/**
 * A job still queued or running: anything not in a terminal status. Accepts a missing job for "the
 * latest run, if any".
 */
export function isActive(job: { status: string } | null | undefined): boolean {
  return job != null && !TERMINAL_JOB_STATUSES.has(job.status as JobStatus);
}

export const JobErrorSchema = z.looseObject({
  error_code: z.string(),
  title: z.string(),
  message: z.string(),
  /**
   * Who must act: source, destination, configuration or engine (ours; the hosted API names its
   * own).
   */
  blame: z.string(),
  documentation_url: z.string(),
  trace: z.string(),
});
export type JobError = z.infer<typeof JobErrorSchema>;

export const ExtractProgressSchema = z.object({
  rows_read: z.number(),
  estimated_rows: z.number().nullable(),
});
export type ExtractProgress = z.infer<typeof ExtractProgressSchema>;

export const ExtractSchema = z.looseObject({
  id: z.string(),
  dataset_id: z.string(),
  status: z.enum(JOB_STATUSES),
  submitted_at: TimestampSchema,
  started_at: TimestampSchema.nullable(),
  ended_at: TimestampSchema.nullable(),
  records_processed: z.number(),
  records_new_inserted: z.number(),
  records_existing_updated: z.number(),
  records_existing_unchanged: z.number(),
  records_existing_deleted: z.number(),
  records_errored: z.number(),
  error: JobErrorSchema.nullable(),
  progress: ExtractProgressSchema.optional().describe(
    '(ext) rows read so far and the table size estimate',
  ),
  full_refresh: z
    .boolean()
    .optional()
    .describe('(ext) the extract reads the whole table again, not only what changed'),
  cancel_requested_at: TimestampSchema.nullable()
    .optional()
    .describe('(ext) when a cancel was asked for; a running extract stops at its next checkpoint'),
});
export type Extract = z.infer<typeof ExtractSchema>;

export const LoadSchema = z.looseObject({
  id: z.string(),
  stream_id: z.string(),
  status: z.enum(JOB_STATUSES),
  submitted_at: TimestampSchema,
  started_at: TimestampSchema.nullable(),
  ended_at: TimestampSchema.nullable(),
  actor_id: z.string().nullable().optional(),
  actor_type: z.string().nullable().optional(),
  /**
   * Ours: `retry` for a scheduled retry of the records the endpoint could not take; `redeliver` for
   * every current record sent again; `pending` otherwise.
   */
  mode: z.string().optional(),
  records_processed: z.number(),
  records_transformed: z.number(),
  records_valid: z.number(),
  records_loaded: z.number(),
  records_errored: z.number(),
  record_ids: z.array(z.string()).optional(),
  error: JobErrorSchema.nullable(),
  cancel_requested_at: TimestampSchema.nullable()
    .optional()
    .describe('(ext) when a cancel was asked for; a running load stops before its next request'),
});
export type Load = z.infer<typeof LoadSchema>;
