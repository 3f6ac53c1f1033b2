'use server';
// Support actions on one tenant: each needs a reason, and the Import API records it with who acted.
import { z } from 'zod';
import { type ActionResult, actionFailure, fromPrequelError } from '@/lib/actions/action-result';
import { supportAction } from '@/lib/actions/support-guard';
import { recordSupportEvent } from '@/lib/prequel/audit-log';
import { cancelExtract, getDataset, getExtract, startExtract } from '@/lib/prequel/datasets';
import { cancelLoad, getLoad, getStream, startLoad, updateStream } from '@/lib/prequel/streams';
import { mintInvite } from '@/lib/session/mint-invite';
import type { SupportSession } from '@/lib/session/session';

// One line: the audit log refuses line breaks in a reason, so a reason typed over several lines is
// joined.
const ReasonSchema = z
  .string()
  .transform((value) => value.replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(5, 'Say why, in a few words: it goes to the audit log.').max(1000));
const note = (session: SupportSession, reason: string) => ({
  actor: session.actor ?? 'support',
  reason,
});

/**
 * The object must be the tenant's: a console link cannot act on another tenant by editing an id.
 */
async function tenantDataset(providerId: string, datasetId: string) {
  const dataset = await getDataset(datasetId);
  return dataset.ok && dataset.data.provider_id === providerId ? dataset : null;
}
async function tenantStream(providerId: string, streamId: string) {
  const stream = await getStream(streamId);
  return stream.ok && stream.data.provider_id === providerId ? stream : null;
}

export const rerunExtract = supportAction(
  z.object({ providerId: z.string().min(1), datasetId: z.uuid(), reason: ReasonSchema }),
  async ({ providerId, datasetId, reason }, session): Promise<ActionResult<{ id: string }>> => {
    if (!(await tenantDataset(providerId, datasetId)))
      return actionFailure('not_found', 'This dataset is not this tenant’s.');
    const extract = await startExtract(datasetId, note(session, reason));
    return extract.ok
      ? { ok: true, data: { id: extract.data.id } }
      : fromPrequelError(extract.error);
  },
);

export const rerunLoad = supportAction(
  z.object({ providerId: z.string().min(1), streamId: z.uuid(), reason: ReasonSchema }),
  async ({ providerId, streamId, reason }, session): Promise<ActionResult<{ id: string }>> => {
    if (!(await tenantStream(providerId, streamId)))
      return actionFailure('not_found', 'This stream is not this tenant’s.');
    const load = await startLoad(streamId, note(session, reason));
    return load.ok ? { ok: true, data: { id: load.data.id } } : fromPrequelError(load.error);
  },
);

/**
 * Reads the whole table again (edits the incremental runs missed, hard deletes where configured).
 */
export const resyncDataset = supportAction(
  z.object({ providerId: z.string().min(1), datasetId: z.uuid(), reason: ReasonSchema }),
  async ({ providerId, datasetId, reason }, session): Promise<ActionResult<{ id: string }>> => {
    if (!(await tenantDataset(providerId, datasetId)))
      return actionFailure('not_found', 'This dataset is not this tenant’s.');
    const extract = await startExtract(datasetId, { fullRefresh: true, ...note(session, reason) });
    return extract.ok
      ? { ok: true, data: { id: extract.data.id } }
      : fromPrequelError(extract.error);
  },
);

/** Sends every current record of the stream again, for a SaaS that lost what it received. */
export const redeliverStream = supportAction(
  z.object({ providerId: z.string().min(1), streamId: z.uuid(), reason: ReasonSchema }),
  async ({ providerId, streamId, reason }, session): Promise<ActionResult<{ id: string }>> => {
    if (!(await tenantStream(providerId, streamId)))
      return actionFailure('not_found', 'This stream is not this tenant’s.');
    const load = await startLoad(streamId, { redeliver: true, ...note(session, reason) });
    return load.ok ? { ok: true, data: { id: load.data.id } } : fromPrequelError(load.error);
  },
);

export const cancelTenantExtract = supportAction(
  z.object({ providerId: z.string().min(1), extractId: z.uuid(), reason: ReasonSchema }),
  async ({ providerId, extractId, reason }, session): Promise<ActionResult<{ status: string }>> => {
    const extract = await getExtract(extractId);
    if (!extract.ok || !(await tenantDataset(providerId, extract.data.dataset_id)))
      return actionFailure('not_found', 'This extract is not this tenant’s.');
    const cancelled = await cancelExtract(extractId, note(session, reason));
    return cancelled.ok
      ? { ok: true, data: { status: cancelled.data.status } }
      : fromPrequelError(cancelled.error);
  },
);

export const cancelTenantLoad = supportAction(
  z.object({ providerId: z.string().min(1), loadId: z.uuid(), reason: ReasonSchema }),
  async ({ providerId, loadId, reason }, session): Promise<ActionResult<{ status: string }>> => {
    const load = await getLoad(loadId);
    if (!load.ok || !(await tenantStream(providerId, load.data.stream_id)))
      return actionFailure('not_found', 'This load is not this tenant’s.');
    const cancelled = await cancelLoad(loadId, note(session, reason));
    return cancelled.ok
      ? { ok: true, data: { status: cancelled.data.status } }
      : fromPrequelError(cancelled.error);
  },
);

export const setTenantStreamEnabled = supportAction(
  z.object({
    providerId: z.string().min(1),
    streamId: z.uuid(),
    enabled: z.boolean(),
    reason: ReasonSchema,
  }),
  async (
    { providerId, streamId, enabled, reason },
    session,
  ): Promise<ActionResult<{ enabled: boolean }>> => {
    if (!(await tenantStream(providerId, streamId)))
      return actionFailure('not_found', 'This stream is not this tenant’s.');
    const updated = await updateStream(streamId, { is_enabled: enabled }, note(session, reason));
    return updated.ok
      ? { ok: true, data: { enabled: updated.data.is_enabled } }
      : fromPrequelError(updated.error);
  },
);

/**
 * A credentials-only link for the tenant's DBA; minting it is recorded by the Import API like any
 * support action.
 */
export const sendReconnectLink = supportAction(
  z.object({ providerId: z.string().min(1), reason: ReasonSchema }),
  async (
    { providerId, reason },
    session,
  ): Promise<ActionResult<{ url: string; expiresAt: string; recorded: boolean }>> => {
    const invite = mintInvite({
      role: 'customer',
      providerId,
      scope: 'credentials',
      actor: session.actor,
    });
    if (!invite.ok) return actionFailure('not_configured', invite.message);
    const noted = await recordSupportEvent(
      providerId,
      'reconnect_link_sent',
      note(session, reason),
    );
    // An API without a trail of support actions (the hosted one) still gets the link sent.
    if (!noted.ok && noted.error.code !== 'not_supported') return fromPrequelError(noted.error);
    return {
      ok: true,
      data: {
        url: `/connect?session=${encodeURIComponent(invite.token)}`,
        expiresAt: invite.expiresAt.toISOString(),
        recorded: noted.ok,
      },
    };
  },
);
