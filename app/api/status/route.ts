// GET /api/status: the session's status snapshot, polled by the status page while anything runs.
import { customerRoute, routeData, routeError } from '@/lib/actions/customer-route';
import { customerStatus } from '@/lib/status/customer-status';
import { loadProviderStatus } from '@/lib/status/load-status';

export const GET = customerRoute(async (_request, session) => {
  const status = await loadProviderStatus(session.providerId);
  return status.ok ? routeData(customerStatus(status.data)) : routeError(status.error);
});
