// GET /api/status/trace?dataset=&record=: one record at each stage of the pipeline, for the record
// tracer.
import { z } from 'zod';
import { customerRoute, routeData, routeError } from '@/lib/actions/customer-route';
import { getRecordLineage } from '@/lib/prequel/datasets';
import { ownedDataset } from '@/lib/session/ownership';

const QuerySchema = z.object({ dataset: z.uuid(), record: z.string().trim().min(1).max(500) });

export const GET = customerRoute(async (request, session) => {
  const parsed = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    return routeError({
      code: 'invalid_input',
      message: 'Choose a dataset and paste a primary key.',
      status: 400,
    });
  const dataset = await ownedDataset(session, parsed.data.dataset);
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
});
