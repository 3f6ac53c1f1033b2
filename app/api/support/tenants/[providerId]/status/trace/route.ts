// GET /api/support/tenants/<id>/status/trace?dataset=&record=: the record tracer, for support.
import { z } from 'zod';
import { supportRoute } from '@/lib/actions/support-guard';
import { routeData, routeError } from '@/lib/actions/customer-route';
import { getDataset, getRecordLineage } from '@/lib/prequel/datasets';

const QuerySchema = z.object({ dataset: z.uuid(), record: z.string().trim().min(1).max(500) });

export const GET = supportRoute<{ providerId: string }>(async (request, _session, { params }) => {
  const { providerId } = await params;
  const parsed = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    return routeError({
      code: 'invalid_input',
      message: 'Choose a dataset and paste a primary key.',
      status: 400,
    });
  const dataset = await getDataset(parsed.data.dataset);
  if (!dataset.ok || dataset.data.provider_id !== providerId)
    return routeError({
      code: 'not_found',
      message: 'This dataset is not this tenant’s.',
      status: 404,
    });
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
