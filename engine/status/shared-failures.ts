// The failures every tenant has right now (the newest job of each dataset and stream, when it
// failed), grouped by lib/prequel/contract/health/error-groups.ts so that one failure across many
// tenants reads as one group.
import type { ErrorGroupSummary } from '../../lib/prequel/contract/provider-health';
import type { JobError } from '../../lib/prequel/contract/job';
import { groupErrors } from '../../lib/prequel/contract/health/error-groups';
import { toRfc3339, type Queryable } from '../store/db';

/** Tenants named per group; the count says how many there are in all. */
const TENANTS_PER_GROUP = 20;

type FailureRow = { provider_id: string; provider_name: string; error: JobError; at: string };

export async function readErrorGroups(db: Queryable): Promise<ErrorGroupSummary[]> {
  // The newest job by creation, as the per-object path reads extracts[0] and loads[0].
  const { rows } = await db.query<FailureRow>(
    `select d.provider_id, p.name as provider_name, e.error, coalesce(e.ended_at,
      e.submitted_at) as at
       from datasets d join providers p on p.id = d.provider_id
       cross join lateral (select status, error, ended_at, submitted_at from extracts where
         dataset_id = d.id order by created_at desc, id desc limit 1) e
      where e.status = 'failed' and e.error is not null
     union all
     select s.provider_id, p.name, l.error, coalesce(l.ended_at, l.submitted_at)
       from streams s join providers p on p.id = s.provider_id
       cross join lateral (select status, error, ended_at, submitted_at from loads where
         stream_id = s.id order by created_at desc, id desc limit 1) l
      where l.status = 'failed' and l.error is not null`,
  );
  const names = new Map(rows.map((row) => [row.provider_id, row.provider_name]));
  const groups = groupErrors(
    rows.map((row) => ({
      tenantId: row.provider_id,
      error: row.error,
      at: new Date(toRfc3339(row.at)),
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
