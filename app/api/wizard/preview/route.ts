// POST /api/wizard/preview: the mapping being edited, applied by the Import API to sampled records
// (test-stream).
import { customerRoute, routeData, routeError } from '@/lib/actions/customer-route';
import { testStream } from '@/lib/prequel/streams';
import { availableDestination, ownedDataset } from '@/lib/session/ownership';
import { PreviewRequestSchema } from '@/lib/wizard/mapping-request';

export const POST = customerRoute(async (request, session) => {
  const parsed = PreviewRequestSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success)
    return routeError({
      code: 'invalid_input',
      message: 'The preview request is invalid.',
      status: 400,
    });
  const { destinationId, datasetId, mappings, recordIds } = parsed.data;
  const [dataset, destination] = await Promise.all([
    ownedDataset(session, datasetId),
    availableDestination(session, destinationId),
  ]);
  if (!dataset.ok) return routeError(dataset.error);
  if (!destination.ok) return routeError(destination.error);
  // Unsaved and unvalidated on purpose: the preview shows what is wrong instead of refusing the
  // mapping.
  const preview = await testStream(
    {
      name: 'preview',
      dataset_id: datasetId,
      destination_id: destinationId,
      mappings,
      is_enabled: false,
    },
    recordIds,
    { skipValidation: true },
  );
  return preview.ok ? routeData(preview.data) : routeError(preview.error);
});
