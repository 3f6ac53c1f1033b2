// The support console's overview without the API's status summaries (the hosted API): every
// tenant's status read here, several calls each, capped; load-overview.ts uses it as its fallback.
import 'server-only';
import { supportLoader } from '@/lib/actions/support-guard';
import { type PrequelResult } from '@/lib/prequel/client';
import { groupErrors } from '@/lib/prequel/contract/health/error-groups';
import { compareTenants, tenantHealth } from '@/lib/prequel/contract/health/tenant-health';
import type { JobError } from '@/lib/prequel/contract/job';
import { fetchAllPages } from '@/lib/prequel/pagination';
import { listProviders } from '@/lib/prequel/providers';
import { loadProviderStatus, type ProviderStatus } from '@/lib/status/load-status';

/**
 * Without the API's status summaries, the console reads at most this many tenants, each with
 * several calls.
 */
export const MAX_TENANTS = 500;
const PARALLEL = 6;

export type TenantRow = {
  id: string;
  name: string;
  health: ReturnType<typeof tenantHealth>;
  status: ProviderStatus | null;
  problem: string | null;
};

/** Runs `work` over `items`, at most `limit` at a time. */
async function mapLimited<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

export function healthOf(status: ProviderStatus, now: Date) {
  return tenantHealth({
    sources: status.sources.map((source) => ({
      id: source.id,
      name: source.name,
      is_reachable: source.isReachable,
    })),
    datasets: status.datasets.map((dataset) => ({
      id: dataset.id,
      name: dataset.name,
      latestExtract: dataset.extracts[0] ?? null,
      recentExtracts: dataset.extracts,
      lastSuccessAt:
        dataset.extracts.find((extract) => extract.status === 'succeeded')?.ended_at ?? null,
      frequencyMinutes: dataset.frequencyMinutes,
      schemaDrift: dataset.schemaDrift,
    })),
    streams: status.streams.map((stream) => ({
      id: stream.id,
      name: stream.name,
      is_enabled: stream.isEnabled,
      disabled_reason: stream.disabledReason,
      latestLoad: stream.loads[0] ?? null,
      recentLoads: stream.loads,
    })),
    now,
  });
}

/** Every tenant's health for the console; only a support session gets past its first line. */
export const loadTenants = supportLoader(
  async (): Promise<
    PrequelResult<{
      tenants: TenantRow[];
      groups: ReturnType<typeof groupErrors>;
      complete: boolean;
    }>
  > => {
    const providers = await fetchAllPages((cursor) => listProviders({ cursor, pageSize: 100 }), {
      maxItems: MAX_TENANTS,
    });
    if (!providers.ok) return providers;
    const now = new Date();
    const tenants = await mapLimited(
      providers.data.items,
      PARALLEL,
      async (provider): Promise<TenantRow> => {
        const status = await loadProviderStatus(provider.id);
        if (!status.ok) {
          return {
            id: provider.id,
            name: provider.name,
            status: null,
            problem: status.error.message,
            health: {
              health: 'degraded',
              severity: 2,
              brokenSince: null,
              reasons: [status.error.message],
            } as TenantRow['health'],
          };
        }
        return {
          id: provider.id,
          name: provider.name,
          status: status.data,
          problem: null,
          health: healthOf(status.data, now),
        };
      },
    );
    tenants.sort((a, b) => compareTenants(a.health, b.health));
    const failures: { tenantId: string; error: JobError; at: Date }[] = [];
    for (const tenant of tenants) {
      for (const dataset of tenant.status?.datasets ?? []) {
        const latest = dataset.extracts[0];
        if (latest?.status === 'failed' && latest.error)
          failures.push({
            tenantId: tenant.id,
            error: latest.error,
            at: new Date(latest.ended_at ?? latest.submitted_at),
          });
      }
      for (const stream of tenant.status?.streams ?? []) {
        const latest = stream.loads[0];
        if (latest?.status === 'failed' && latest.error)
          failures.push({
            tenantId: tenant.id,
            error: latest.error,
            at: new Date(latest.ended_at ?? latest.submitted_at),
          });
      }
    }
    return {
      ok: true,
      data: { tenants, groups: groupErrors(failures), complete: providers.data.complete },
    };
  },
);
