// GET /api/support/tenants/<id>/status: the tenant's status snapshot, for the console's read-only
// customer view.
import { routeData, routeError } from '@/lib/actions/customer-route';
import { supportRoute } from '@/lib/actions/support-guard';
import { loadProviderStatus } from '@/lib/status/load-status';

export const GET = supportRoute<{ providerId: string }>(async (_request, _session, { params }) => {
  const { providerId } = await params;
  const status = await loadProviderStatus(providerId);
  return status.ok ? routeData(status.data) : routeError(status.error);
});
