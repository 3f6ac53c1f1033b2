'use server';
// Launch step: enable every saved stream of the provider and start its first load.
import { z } from 'zod';
import { type ActionResult, fromPrequelError } from '@/lib/actions/action-result';
import { customerAction } from '@/lib/actions/customer-action';
import { listStreams, startLoad, updateStream } from '@/lib/prequel/streams';

export const launchImport = customerAction(
  z.object({}),
  async (_input, session): Promise<ActionResult<{ launched: string[] }>> => {
    const streams = await listStreams({ providerId: session.providerId, pageSize: 100 });
    if (!streams.ok) return fromPrequelError(streams.error);
    const launched: string[] = [];
    for (const stream of streams.data.items) {
      if (!stream.is_enabled) {
        const enabled = await updateStream(stream.id, { is_enabled: true });
        if (!enabled.ok) return fromPrequelError(enabled.error);
      }
      const load = await startLoad(stream.id);
      if (!load.ok) return fromPrequelError(load.error);
      launched.push(stream.id);
    }
    return { ok: true, data: { launched } };
  },
);
