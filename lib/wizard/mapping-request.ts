// What the map step's browser may send: a destination, a dataset and the mapping of its fields.
import { z } from 'zod';
import { MappingSchema } from '@/lib/prequel/contract/stream';

export const MappingRequestSchema = z.object({
  destinationId: z.uuid(),
  datasetId: z.uuid(),
  mappings: z.array(MappingSchema).max(500),
});
export type MappingRequest = z.infer<typeof MappingRequestSchema>;

export const PreviewRequestSchema = MappingRequestSchema.extend({
  recordIds: z.array(z.string().min(1).max(500)).min(1).max(20),
});
export type PreviewRequest = z.infer<typeof PreviewRequestSchema>;
