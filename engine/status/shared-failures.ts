// The failures every tenant has right now (the newest job of each dataset and stream, when it
// failed, as refresh-provider-health.ts keeps them), grouped by
// lib/prequel/contract/health/error-groups.ts so that one failure across many tenants reads as one
// group.
import type { ErrorGroupSummary } from '../../lib/prequel/contract/provider-health';
import type { JobError } from '../../lib/prequel/contract/job';
import { groupErrors } from '../../lib/prequel/contract/health/error-groups';
import type { Queryable } from '../store/db';

/** Tenants named per group; the count says how many there are in all. */
const TENANTS_PER_GROUP = 20;

type FailureRow = { provider_id: string; provider_name: string; error: JobError; at: string };

/**
 * The failures as the providers' health was last judged: call after refreshProviderHealth (or
 * readProviderHealth, which refreshes).
 */
export async function readErrorGroups(db: Queryable): Promise<ErrorGroupSummary[]> {
  const { rows } = await db.query<FailureRow>(
    `select h.provider_id, h.name as provider_name, f.value->'error' as error, f.value->>'at' as at
     from provider_health h cross join jsonb_array_elements(h.failures) f
     where h.failures is not null`,
  );
  const names = new Map(rows.map((row) => [row.provider_id, row.provider_name]));
  const groups = groupErrors(
    rows.map((row) => ({
      tenantId: row.provider_id,
      error: row.error,
      at: new Date(row.at),
    })),
  );
  return groups.map((group) => ({
    signature: group.signature,
    code: group.code,
    title: group.title,
    example: group.example,
    count: group.count,
    tenant_count: group.tenants.length,
    tenants: group.tenants
      .slice(0, TENANTS_PER_GROUP)
      .map((id) => ({ id, name: names.get(id) ?? id })),
    first_seen: group.firstSeen.toISOString(),
    last_seen: group.lastSeen.toISOString(),
  }));
}
