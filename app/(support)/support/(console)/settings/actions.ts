'use server';
// Settings: save a destination's record schema (validated in full by the Import API, recorded with
// who and why).
import { z } from 'zod';
import { type ActionResult, fromPrequelError } from '@/lib/actions/action-result';
import { supportAction } from '@/lib/actions/support-guard';
import { updateDestination } from '@/lib/prequel/destinations';

export const saveRecordSchema = supportAction(
  z.object({
    destinationId: z.uuid(),
    schema: z.string().max(500_000),
    reason: z.string().trim().min(5, 'Say why, in a few words.').max(1000),
  }),
  async ({ destinationId, schema, reason }, session): Promise<ActionResult<{ saved: true }>> => {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(schema) as Record<string, unknown>;
    } catch {
      return {
        ok: false,
        error: { code: 'invalid_input', message: 'The schema is not valid JSON.' },
      };
    }
    // Reachability was checked when the destination was made; a schema edit does not need the probe
    // again.
    const updated = await updateDestination(
      destinationId,
      { record_schema: parsed },
      { skipValidation: true, actor: session.actor ?? 'support', reason },
    );
    return updated.ok ? { ok: true, data: { saved: true } } : fromPrequelError(updated.error);
  },
);
