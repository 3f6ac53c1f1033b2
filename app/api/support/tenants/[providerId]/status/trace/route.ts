// GET /api/support/tenants/<id>/status/trace?dataset=&record=: the record tracer, for support.
import { supportRoute } from '@/lib/actions/support-guard';
import { failure } from '@/lib/prequel/client';
import { getDataset } from '@/lib/prequel/datasets';
import { traceRecord } from '@/lib/status/record-trace';

export const GET = supportRoute<{ providerId: string }>(async (request, _session, { params }) => {
  const { providerId } = await params;
  return traceRecord(request, async (datasetId) => {
    const dataset = await getDataset(datasetId);
    return dataset.ok && dataset.data.provider_id === providerId
      ? dataset
      : failure('not_found', 'This dataset is not this tenant’s.', 404);
  });
});
