// (ext) Every tenant's health in one paged call (GET /import/status/providers), for the support
// console.
import 'server-only';
import { requireCapability } from './capabilities';
import { prequelFetch, type PrequelResult } from './client';
import {
  type ErrorGroupSummary,
  type Health,
  type HealthCounts,
  type ProviderHealth,
  ProviderHealthListSchema,
} from './contract/provider-health';
import { cursorOf } from './envelope';

export type ProviderHealthPage = {
  providers: ProviderHealth[];
  counts: HealthCounts;
  errorGroups: ErrorGroupSummary[];
  nextCursor: string | null;
  previousCursor: string | null;
};

export type ProviderHealthQuery = {
  search?: string;
  health?: Health;
  pageSize?: number;
  cursor?: string;
};

/**
 * One page of tenants, worst first, searched and filtered by the API; `not_supported` (without a
 * call) where it has no summaries.
 */
export async function listProviderHealth({
  search,
  health,
  pageSize,
  cursor,
}: ProviderHealthQuery = {}): Promise<PrequelResult<ProviderHealthPage>> {
  const supported = await requireCapability(
    'healthSummaries',
    'status summaries (GET /import/status/providers)',
  );
  if (!supported.ok) return supported;
  const result = await prequelFetch('/import/status/providers', ProviderHealthListSchema, {
    query: { search: search || undefined, health, page_size: pageSize, cursor },
  });
  if (!result.ok) return result;
  const { data, has_next, next_url, has_previous, previous_url } = result.data;
  return {
    ok: true,
    data: {
      providers: data.providers,
      counts: data.counts,
      errorGroups: data.error_groups,
      nextCursor: has_next ? cursorOf(next_url) : null,
      previousCursor: has_previous ? cursorOf(previous_url) : null,
    },
  };
}
