// The failures every tenant has right now (the newest job of each dataset and stream, when it
// failed, as refresh-provider-health.ts keeps them), grouped by
// lib/prequel/contract/health/error-groups.ts so that one failure across many tenants reads as one
// group.
import type { ErrorGroupSummary } from '../../lib/prequel/contract/provider-health';
import type { JobError } from '../../lib/prequel/contract/job';
import { groupErrors } from '../../lib/prequel/contract/health/error-groups';
import type { Queryable } from '../store/db';
import { FAILURES_DIGEST } from './health-tallies';

/** Tenants named per group; the count says how many there are in all. */
const TENANTS_PER_GROUP = 20;

type FailureRow = { provider_id: string; provider_name: string; error: JobError; at: string };

/**
 * The groups last computed, per database, with a digest of the failures and names they were
 * computed from: while those are the same (a provider judged again with the same failures
 * included), so are the groups, and a read need not fetch and group every failure again.
 */
const computed = new WeakMap<Queryable, { key: string; groups: ErrorGroupSummary[] }>();

/**
 * The failures as the providers' health was last judged: call after refreshProviderHealth (or
 * readProviderHealth, which refreshes).
 */
export async function readErrorGroups(db: Queryable): Promise<ErrorGroupSummary[]> {
  const cached = computed.get(db);
  // One statement, so that the failures read are those the key digests.
  const {
    rows: [read],
  } = await db.query<{ key: string; failures: FailureRow[] | null }>(
    `with judgements as (select ${FAILURES_DIGEST} as key)
     select key, case when key is distinct from $1 then (
       select coalesce(jsonb_agg(jsonb_build_object('provider_id', h.provider_id,
         'provider_name', h.name, 'error', f.value->'error', 'at', f.value->'at')
         order by h.provider_id), '[]'::jsonb)
       from provider_health h cross join jsonb_array_elements(h.failures) f
       where h.failures is not null
     ) end as failures
     from judgements`,
    [cached?.key ?? null],
  );
  if (cached && read!.failures === null) return cached.groups;
  const groups = groupFailures(read!.failures ?? []);
  computed.set(db, { key: read!.key, groups });
  return groups;
}

function groupFailures(rows: FailureRow[]): ErrorGroupSummary[] {
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
