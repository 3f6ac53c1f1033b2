// One tenant's page in the support console: the provider, its status and its audit trail, for
// support staff only.
import 'server-only';
import { supportLoader } from '@/lib/actions/support-guard';
import { listAuditLog } from '@/lib/prequel/audit-log';
import type { PrequelResult } from '@/lib/prequel/client';
import type { Provider } from '@/lib/prequel/contract/provider';
import { getProvider } from '@/lib/prequel/providers';
import { loadProviderStatus, type ProviderStatus } from '@/lib/status/load-status';

type TenantPage = {
  provider: Provider;
  status: ProviderStatus;
  audit: Awaited<ReturnType<typeof listAuditLog>>;
};

// Three calls where the API serves status summaries (the summary brings the provider along): the
// summary, the audit trail and the capabilities (cached).
export const loadTenant = supportLoader(
  async (_session, providerId: string): Promise<PrequelResult<TenantPage>> => {
    const [status, audit] = await Promise.all([
      loadProviderStatus(providerId),
      listAuditLog({ providerId, pageSize: 50 }),
    ]);
    if (!status.ok) return status;
    const provider = status.data.provider
      ? { ok: true as const, data: status.data.provider }
      : await getProvider(providerId);
    if (!provider.ok) return provider;
    return { ok: true, data: { provider: provider.data, status: status.data, audit } };
  },
);
