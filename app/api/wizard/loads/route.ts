// GET /api/wizard/loads: the session's streams, each with its latest load, polled while loads run.
import { customerJob } from '@/lib/actions/customer-failure';
import { customerRoute, routeData, routeError } from '@/lib/actions/customer-route';
import { listLoads, listStreams } from '@/lib/prequel/streams';

export const GET = customerRoute(async (_request, session) => {
  const streams = await listStreams({ providerId: session.providerId, pageSize: 100 });
  if (!streams.ok) return routeError(streams.error);
  const rows = await Promise.all(
    streams.data.items.map(async (stream) => {
      const loads = await listLoads({ streamId: stream.id, pageSize: 1, order: 'desc' });
      return {
        id: stream.id,
        name: stream.name,
        isEnabled: stream.is_enabled,
        latestLoad: loads.ok ? customerJob(loads.data.items[0] ?? null) : null,
      };
    }),
  );
  return routeData(rows);
});
