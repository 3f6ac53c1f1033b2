// The record tracer's answer: the query (`?dataset=&record=`) checked, then one record at each
// stage of the pipeline.
import 'server-only';
import { z } from 'zod';
import { routeData, routeError } from '@/lib/actions/customer-route';
import type { PrequelResult } from '@/lib/prequel/client';
import type { Dataset } from '@/lib/prequel/contract/dataset';
import { getRecordLineage } from '@/lib/prequel/datasets';

const TraceQuerySchema = z.object({ dataset: z.uuid(), record: z.string().trim().min(1).max(500) });

/**
 * Traces a record of a dataset the caller may see: `findDataset` answers the dataset, or the
 * failure to answer instead (someone else's dataset).
 */
export async function traceRecord(
  request: Request,
  findDataset: (datasetId: string) => Promise<PrequelResult<Dataset>>,
): Promise<Response> {
  const parsed = TraceQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    return routeError({
      code: 'invalid_input',
      message: 'Choose a dataset and paste a primary key.',
      status: 400,
    });
  const dataset = await findDataset(parsed.data.dataset);
  if (!dataset.ok) return routeError(dataset.error);
  const lineage = await getRecordLineage(parsed.data.dataset, parsed.data.record);
  if (!lineage.ok && lineage.error.status === 404)
    return routeError({
      code: 'not_found',
      message:
        `No record with key “${parsed.data.record}” has been imported from ` +
        `${dataset.data.name}.`,
      status: 404,
    });
  return lineage.ok ? routeData(lineage.data) : routeError(lineage.error);
}
