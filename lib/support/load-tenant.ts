// One tenant's page in the support console: the provider, its status and its audit trail, for support staff only.
import 'server-only';
import { supportLoader } from '@/lib/actions/support-guard';
import { listAuditLog } from '@/lib/prequel/audit-log';
import type { PrequelResult } from '@/lib/prequel/client';
import type { Provider } from '@/lib/prequel/contract/provider';
import { getProvider } from '@/lib/prequel/providers';
import { loadProviderStatus, type ProviderStatus } from '@/lib/status/load-status';

type TenantPage = { provider: Provider; status: ProviderStatus; audit: Awaited<ReturnType<typeof listAuditLog>> };

export const loadTenant = supportLoader(async (_session, providerId: string): Promise<PrequelResult<TenantPage>> => {
  const provider = await getProvider(providerId);
  if (!provider.ok) return provider;
  const [status, audit] = await Promise.all([loadProviderStatus(providerId), listAuditLog({ providerId, pageSize: 50 })]);
  if (!status.ok) return status;
  return { ok: true, data: { provider: provider.data, status: status.data, audit } };
});
