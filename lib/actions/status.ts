'use server';
// Status page actions: sync a dataset now, pause or resume a stream, cancel an import. Each id is
// checked against the session.
import { z } from 'zod';
import { type ActionResult, fromPrequelError } from '@/lib/actions/action-result';
import { customerAction } from '@/lib/actions/customer-action';
import { cancelExtract, startExtract } from '@/lib/prequel/datasets';
import { cancelLoad, updateStream } from '@/lib/prequel/streams';
import { ownedDataset, ownedExtract, ownedLoad, ownedStream } from '@/lib/session/ownership';

export const syncNow = customerAction(
  z.object({ datasetId: z.uuid() }),
  async ({ datasetId }, session): Promise<ActionResult<{ extractId: string }>> => {
    const dataset = await ownedDataset(session, datasetId);
    if (!dataset.ok) return fromPrequelError(dataset.error);
    // Loads of enabled streams follow the extract on their own.
    const extract = await startExtract(datasetId);
    return extract.ok
      ? { ok: true, data: { extractId: extract.data.id } }
      : fromPrequelError(extract.error);
  },
);

/**
 * Stops a running (or queued) extract or load of the customer's; what it already imported or
 * delivered stays.
 */
export const cancelRun = customerAction(
  z.object({ kind: z.enum(['extract', 'load']), id: z.uuid() }),
  async ({ kind, id }, session): Promise<ActionResult<{ status: string }>> => {
    // The audit entry names the customer's user as the host named them, else the tenant.
    const note = {
      actor: `customer:${session.actor ?? session.providerId}`,
      reason: 'Cancelled on the status page',
    };
    const owned =
      kind === 'extract' ? await ownedExtract(session, id) : await ownedLoad(session, id);
    if (!owned.ok) return fromPrequelError(owned.error);
    const cancelled =
      kind === 'extract' ? await cancelExtract(id, note) : await cancelLoad(id, note);
    return cancelled.ok
      ? { ok: true, data: { status: cancelled.data.status } }
      : fromPrequelError(cancelled.error);
  },
);

export const setStreamEnabled = customerAction(
  z.object({ streamId: z.uuid(), enabled: z.boolean() }),
  async ({ streamId, enabled }, session): Promise<ActionResult<{ enabled: boolean }>> => {
    const stream = await ownedStream(session, streamId);
    if (!stream.ok) return fromPrequelError(stream.error);
    const updated = await updateStream(streamId, { is_enabled: enabled });
    return updated.ok
      ? { ok: true, data: { enabled: updated.data.is_enabled } }
      : fromPrequelError(updated.error);
  },
);
