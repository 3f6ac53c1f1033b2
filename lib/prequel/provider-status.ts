// (ext) One tenant's status in one call (GET /import/providers/{id}/status), for its status page.
import 'server-only';
import { requireCapability } from './capabilities';
import { prequelFetch, type PrequelResult } from './client';
import {
  ProviderStatusResponseSchema,
  type ProviderStatusSummary,
} from './contract/provider-status';

/**
 * The provider's sources, datasets with their newest `history` extracts and streams with their
 * newest loads; `not_supported` (without a call) where the API has no summaries.
 */
export async function readProviderStatus(
  providerId: string,
  history: number,
): Promise<PrequelResult<ProviderStatusSummary>> {
  const supported = await requireCapability('providerStatus', "a tenant's status summary");
  if (!supported.ok) return supported;
  const path = `/import/providers/${encodeURIComponent(providerId)}/status` as const;
  const result = await prequelFetch(path, ProviderStatusResponseSchema, { query: { history } });
  return result.ok ? { ok: true, data: result.data.data.provider_status! } : result;
}
