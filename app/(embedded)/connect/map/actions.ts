'use server';
// Map step: save a destination's mapping as a stream that stays disabled until the customer
// launches.
import { actionFailure, type ActionResult, fromPrequelError } from '@/lib/actions/action-result';
import { customerAction } from '@/lib/actions/customer-action';
import { createStream, deleteStream, listStreams, updateStream } from '@/lib/prequel/streams';
import { availableDestination, ownedDataset } from '@/lib/session/ownership';
import { MappingRequestSchema } from '@/lib/wizard/mapping-request';

export const saveMapping = customerAction(
  MappingRequestSchema,
  async (
    { destinationId, datasetId, mappings },
    session,
  ): Promise<ActionResult<{ streamId: string }>> => {
    const [dataset, destination] = await Promise.all([
      ownedDataset(session, datasetId),
      availableDestination(session, destinationId),
    ]);
    if (!dataset.ok) return fromPrequelError(dataset.error);
    if (!destination.ok) return fromPrequelError(destination.error);
    const streams = await listStreams({ providerId: session.providerId, pageSize: 100 });
    if (!streams.ok) return fromPrequelError(streams.error);
    const name = `${dataset.data.name} → ${destination.data.name}`;
    // One stream per destination in the wizard.
    const existing = streams.data.items.find((stream) => stream.destination_id === destinationId);
    if (existing && existing.dataset_id === datasetId) {
      const updated = await updateStream(existing.id, { name, mappings });
      return updated.ok
        ? { ok: true, data: { streamId: updated.data.id } }
        : fromPrequelError(updated.error);
    }
    if (existing) {
      // A stream's dataset cannot change. One not launched yet is simply replaced; a live one is
      // not touched here.
      if (existing.is_enabled)
        return actionFailure(
          'conflict',
          `${destination.data.name} already receives “${existing.name}”. Pause that import on ` +
            `the status page before feeding it another table.`,
        );
      const removed = await deleteStream(existing.id);
      if (!removed.ok) return fromPrequelError(removed.error);
    }
    const created = await createStream({
      name,
      dataset_id: datasetId,
      destination_id: destinationId,
      mappings,
      is_enabled: false,
    });
    return created.ok
      ? { ok: true, data: { streamId: created.data.id } }
      : fromPrequelError(created.error);
  },
);
