// Disables a stream whose endpoint is gone (410) or has failed for too long: no load sends to it
// again until someone enables it.
import { recordAudit } from '../audit/record-audit';
import type { EngineContext } from '../engine-context';
import { notify } from '../events/monitoring-events';
import { findRow, responseOf } from '../resources/crud-routes';
import type { ResourceDefinition } from '../resources/resource-definition';
import { streams } from '../resources/streams';
import { withTransaction } from '../store/db';

const ENGINE_ACTOR = { actor_id: 'engine', type: 'unknown' } as const;

/**
 * Sets is_enabled false with the reason, audits it and emits `stream.disabled`; a stream already
 * disabled is left alone.
 */
export async function disableStream(
  engine: EngineContext,
  streamId: string,
  reason: string,
): Promise<void> {
  const definition = streams as unknown as ResourceDefinition;
  const disabled = await withTransaction(engine.db, async (client) => {
    const existing = await findRow(client, definition, streamId, true);
    if (!existing || existing.disabled_reason !== null) return null;
    const previousObject = await responseOf(definition, existing, client);
    const row = (
      await client.query(
        `update streams set body = jsonb_set(body, '{is_enabled}', 'false'), disabled_reason =
          $2, disabled_at = clock_timestamp(), updated_at = clock_timestamp()
         where id = $1 returning *`,
        [streamId, reason],
      )
    ).rows[0];
    // Enabled again, the stream starts a new failing run from its next failure.
    await client.query('update stream_state set failing_since = null where stream_id = $1', [
      streamId,
    ]);
    const object = await responseOf(definition, row, client);
    await recordAudit(client, {
      eventType: `${definition.eventPrefix}_UPDATE`,
      resourceId: streamId,
      actor: ENGINE_ACTOR,
      object,
      previousObject,
    });
    return object;
  });
  if (!disabled) return;
  engine.logger.warn('stream disabled', { stream_id: streamId, reason });
  notify(engine, 'stream.disabled', {
    stream_id: streamId,
    provider_id: disabled.provider_id,
    dataset_id: disabled.dataset_id,
    destination_id: disabled.destination_id,
    reason,
    message:
      `The stream was disabled: ${reason}. Fix the endpoint (or the destination's URI), ` +
      `then enable the stream again; its pending records are delivered by the next load.`,
  });
}
