'use server';
// Status page actions: sync a dataset now, pause or resume a stream. Each id is checked against the session.
import { z } from 'zod';
import { type ActionResult, fromPrequelError } from '@/lib/actions/action-result';
import { customerAction } from '@/lib/actions/customer-action';
import { startExtract } from '@/lib/prequel/datasets';
import { updateStream } from '@/lib/prequel/streams';
import { ownedDataset, ownedStream } from '@/lib/session/ownership';

export const syncNow = customerAction(z.object({ datasetId: z.uuid() }), async ({ datasetId }, session): Promise<ActionResult<{ extractId: string }>> => {
  const dataset = await ownedDataset(session, datasetId);
  if (!dataset.ok) return fromPrequelError(dataset.error);
  // Loads of enabled streams follow the extract on their own.
  const extract = await startExtract(datasetId);
  return extract.ok ? { ok: true, data: { extractId: extract.data.id } } : fromPrequelError(extract.error);
});

export const setStreamEnabled = customerAction(
  z.object({ streamId: z.uuid(), enabled: z.boolean() }),
  async ({ streamId, enabled }, session): Promise<ActionResult<{ enabled: boolean }>> => {
    const stream = await ownedStream(session, streamId);
    if (!stream.ok) return fromPrequelError(stream.error);
    const updated = await updateStream(streamId, { is_enabled: enabled });
    return updated.ok ? { ok: true, data: { enabled: updated.data.is_enabled } } : fromPrequelError(updated.error);
  },
);
