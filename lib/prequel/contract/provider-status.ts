// Zod schemas of (ext) GET /import/providers/{id}/status: everything a tenant's status page shows,
// in one call.
import { z } from 'zod';
import { SuccessEnvelope, TimestampSchema } from './common';
import { DatasetSchema } from './dataset';
import { ExtractSchema, LoadSchema } from './job';
import { ProviderSchema } from './provider';
import { SourceSchema } from './source';
import { StreamSchema } from './stream';

export const ProviderStatusQuerySchema = z.object({
  history: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(20)
    .describe('how many of the newest extracts (loads) each dataset (stream) comes with'),
});

export const ProviderStatusSchema = z.object({
  provider: ProviderSchema,
  /** Each list newest first, as GET /import/sources, /datasets and /streams list them. */
  sources: z.array(SourceSchema),
  datasets: z.array(
    DatasetSchema.extend({ extracts: z.array(ExtractSchema).describe('the newest first') }),
  ),
  streams: z.array(
    StreamSchema.extend({
      destination_name: z.string(),
      loads: z.array(LoadSchema).describe('the newest first'),
    }),
  ),
  read_at: TimestampSchema,
});
export type ProviderStatusSummary = z.infer<typeof ProviderStatusSchema>;

export const ProviderStatusResponseSchema = SuccessEnvelope(
  'provider_status',
  ProviderStatusSchema,
);
