// Zod schemas of (ext) GET /import/status/providers: every tenant's health as problems the app
// words, and the failures tenants share.
import { z } from 'zod';
import { TimestampSchema } from './common';
import { JobErrorSchema } from './job';

export const HEALTHS = ['failing', 'degraded', 'onboarding_incomplete', 'healthy'] as const;
export const HealthSchema = z.enum(HEALTHS);
export type Health = z.infer<typeof HealthSchema>;

/** For sorting: the higher, the sooner support should look. */
export const HEALTH_SEVERITY: Record<Health, number> = {
  failing: 3,
  degraded: 2,
  onboarding_incomplete: 1,
  healthy: 0,
};

/**
 * The first wizard step a tenant has not done: connect a database, choose data, save a mapping,
 * launch.
 */
export const ONBOARDING_STEPS = [
  'connect_source',
  'choose_data',
  'save_mapping',
  'launch',
] as const;
export const OnboardingStepSchema = z.enum(ONBOARDING_STEPS);
export type OnboardingStep = z.infer<typeof OnboardingStepSchema>;

const ObjectRefSchema = z.object({ id: z.string(), name: z.string().nullable() });
const problem = <Kind extends string, Shape extends z.ZodRawShape>(kind: Kind, shape: Shape) =>
  z.object({
    kind: z.literal(kind),
    level: z.enum(['failing', 'degraded']),
    /** When the problem began, as far as the jobs tell; null when unknown. */
    since: TimestampSchema.nullable(),
    ...shape,
  });

/**
 * One thing wrong with a tenant, as data: the app turns it into a sentence
 * (lib/prequel/contract/health/health-problems.ts).
 */
export const HealthProblemSchema = z.discriminatedUnion('kind', [
  problem('source_unreachable', { object: ObjectRefSchema }),
  /**
   * The dataset's newest finished extract failed; `runs` failures in a row since its last success.
   */
  problem('extract_failed', {
    object: ObjectRefSchema,
    error: JobErrorSchema.nullable(),
    runs: z.number().int(),
  }),
  /** A mapped column is gone from the source (failing) or changed type (degraded). */
  problem('mapped_column_changed', {
    object: ObjectRefSchema,
    column: z.string(),
    change: z.enum(['removed', 'type_changed']),
    previous_type: z.string().nullable(),
    current_type: z.string().nullable(),
  }),
  problem('rows_errored', { object: ObjectRefSchema, count: z.number() }),
  problem('data_stale', {
    object: ObjectRefSchema,
    last_success_at: TimestampSchema,
    frequency_minutes: z.number(),
  }),
  problem('stream_stopped', { object: ObjectRefSchema, disabled_reason: z.string() }),
  problem('load_failed', {
    object: ObjectRefSchema,
    error: JobErrorSchema.nullable(),
    runs: z.number().int(),
  }),
  problem('records_errored', {
    object: ObjectRefSchema,
    count: z.number(),
    error: JobErrorSchema.nullable(),
  }),
  problem('every_stream_paused', {}),
]);
export type HealthProblem = z.infer<typeof HealthProblemSchema>;
export type HealthProblemKind = HealthProblem['kind'];

export const ProviderHealthSchema = z.object({
  id: z.string(),
  name: z.string(),
  health: HealthSchema,
  severity: z.number().int(),
  /** When the problems that decide the health began; null when unknown (or nothing is wrong). */
  broken_since: TimestampSchema.nullable(),
  onboarding_step: OnboardingStepSchema.nullable(),
  /** The problems deciding the health first, then the others. */
  problems: z.array(HealthProblemSchema),
});
export type ProviderHealth = z.infer<typeof ProviderHealthSchema>;

export const ErrorGroupSchema = z.object({
  signature: z.string(),
  code: z.string(),
  title: z.string(),
  /** The newest message of the group, as it was. */
  example: z.string(),
  /** Failed jobs (the newest of each dataset and stream) in the group. */
  count: z.number().int(),
  tenant_count: z.number().int(),
  /** The tenants that hit it last first, at most 20. */
  tenants: z.array(z.object({ id: z.string(), name: z.string() })),
  first_seen: TimestampSchema,
  last_seen: TimestampSchema,
});
export type ErrorGroupSummary = z.infer<typeof ErrorGroupSchema>;

export const HealthCountsSchema = z.object({
  failing: z.number().int(),
  degraded: z.number().int(),
  onboarding_incomplete: z.number().int(),
  healthy: z.number().int(),
});
export type HealthCounts = z.infer<typeof HealthCountsSchema>;

export const ProviderHealthQuerySchema = z.object({
  page_size: z.coerce.number().int().min(1).max(100).default(10),
  cursor: z.string().max(2048).optional().describe('opaque: from next_url or previous_url'),
  search: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('part of the name or id, case-insensitive'),
  health: HealthSchema.optional(),
});
export type ProviderHealthQuery = z.infer<typeof ProviderHealthQuerySchema>;

export const ProviderHealthListSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    providers: z
      .array(ProviderHealthSchema)
      .describe('worst first, then broken longest first (unknown starts last), then by name'),
    counts: HealthCountsSchema.describe('tenants of each health among those the search matches'),
    error_groups: z
      .array(ErrorGroupSchema)
      .describe('the failures of every tenant, grouped: the most widespread first'),
  }),
  message: z.string(),
  has_next: z.boolean(),
  next_url: z.string().nullable(),
  has_previous: z.boolean(),
  previous_url: z.string().nullable(),
});
export type ProviderHealthList = z.infer<typeof ProviderHealthListSchema>;
