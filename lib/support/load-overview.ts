// The support console's overview: one page of tenants with their health, and the failures they
// share. From the engine's status summaries when the Import API has them (search, filter, order and
// paging on the server, in two calls whatever the number of tenants); else from each tenant's
// objects, read here, capped (load-tenants.ts).
import 'server-only';
import { supportLoader } from '@/lib/actions/support-guard';
import { getCapabilities } from '@/lib/prequel/capabilities';
import type { PrequelResult } from '@/lib/prequel/client';
import { HEALTHS, type Health, type HealthCounts } from '@/lib/prequel/contract/provider-health';
import { listProviderHealth } from '@/lib/prequel/provider-health';
import { healthOfSummary } from '@/lib/prequel/contract/health/health-problems';
import type { TenantHealth } from '@/lib/prequel/contract/health/tenant-health';
import { errorTitle } from './error-title';
import { loadTenants } from './load-tenants';

export type OverviewQuery = {
  search: string;
  health: Health | null;
  cursor: string | null;
  pageSize: number;
};

export type OverviewTenant = { id: string; name: string; health: TenantHealth };
export type OverviewGroup = {
  signature: string;
  code: string;
  /** The failure in words (error-title.ts), for a reader who does not know the codes. */
  title: string;
  example: string;
  lastSeen: Date;
  tenantCount: number;
  tenants: { id: string; name: string }[];
};

export type TenantOverview = {
  /**
   * `summaries`: the API's (ext) status summaries; `per_tenant`: each tenant's objects read here,
   * at most 500 tenants.
   */
  source: 'summaries' | 'per_tenant';
  tenants: OverviewTenant[];
  groups: OverviewGroup[];
  /** Tenants of each health among those the search matches (every page). */
  counts: HealthCounts;
  nextCursor: string | null;
  previousCursor: string | null;
  /** `per_tenant` only: false when the cap left tenants out. */
  complete: boolean;
};

export const OVERVIEW_PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_OVERVIEW_PAGE_SIZE = 50;

/** The overview's query from the page's URL: anything unknown reads as its default. */
export function overviewQuery(params: {
  q?: string;
  health?: string;
  cursor?: string;
  size?: string;
}): OverviewQuery {
  const size = Number(params.size);
  return {
    search: (params.q ?? '').trim().slice(0, 200),
    health: HEALTHS.find((health) => health === params.health) ?? null,
    cursor: params.cursor || null,
    pageSize: (OVERVIEW_PAGE_SIZES as readonly number[]).includes(size)
      ? size
      : DEFAULT_OVERVIEW_PAGE_SIZE,
  };
}

/** Only a support session gets past its first line. */
export const loadOverview = supportLoader(
  async (_session, query: OverviewQuery): Promise<PrequelResult<TenantOverview>> => {
    const capabilities = await getCapabilities();
    if (capabilities.ok && capabilities.data.healthSummaries) return fromSummaries(query);
    return fromEachTenant(query);
  },
);

async function fromSummaries(query: OverviewQuery): Promise<PrequelResult<TenantOverview>> {
  const page = await listProviderHealth({
    search: query.search,
    health: query.health ?? undefined,
    pageSize: query.pageSize,
    cursor: query.cursor ?? undefined,
  });
  if (!page.ok) return page;
  const now = new Date();
  return {
    ok: true,
    data: {
      source: 'summaries',
      tenants: page.data.providers.map((provider) => ({
        id: provider.id,
        name: provider.name,
        health: healthOfSummary(provider, { now }),
      })),
      groups: page.data.errorGroups.map((group) => ({
        signature: group.signature,
        code: group.code,
        title: errorTitle({ code: group.code, title: group.title, message: group.example }),
        example: group.example,
        lastSeen: new Date(group.last_seen),
        tenantCount: group.tenant_count,
        tenants: group.tenants,
      })),
      counts: page.data.counts,
      nextCursor: page.data.nextCursor,
      previousCursor: page.data.previousCursor,
      complete: true,
    },
  };
}

/**
 * Today's path against an API without summaries (the hosted API): every tenant read, then searched
 * and filtered here.
 */
async function fromEachTenant(query: OverviewQuery): Promise<PrequelResult<TenantOverview>> {
  const all = await loadTenants();
  if (!all.ok) return all;
  const needle = query.search.toLowerCase();
  const found = all.data.tenants.filter(
    (tenant) =>
      !needle ||
      tenant.name.toLowerCase().includes(needle) ||
      tenant.id.toLowerCase().includes(needle),
  );
  const counts: HealthCounts = { failing: 0, degraded: 0, onboarding_incomplete: 0, healthy: 0 };
  for (const tenant of found) counts[tenant.health.health]++;
  const names = new Map(all.data.tenants.map((tenant) => [tenant.id, tenant.name]));
  return {
    ok: true,
    data: {
      source: 'per_tenant',
      tenants: found
        .filter((tenant) => !query.health || tenant.health.health === query.health)
        .map(({ id, name, health }) => ({ id, name, health })),
      groups: all.data.groups.map((group) => ({
        signature: group.signature,
        code: group.code,
        title: errorTitle({ code: group.code, title: group.title, message: group.example }),
        example: group.example,
        lastSeen: group.lastSeen,
        tenantCount: group.tenants.length,
        tenants: group.tenants.map((id) => ({ id, name: names.get(id) ?? id })),
      })),
      counts,
      nextCursor: null,
      previousCursor: null,
      complete: all.data.complete,
    },
  };
}
