// A tenant of the health cases (lib/prequel/contract/health/tenant-health-cases.test-helpers.ts)
// written straight into the engine's tables: its sources, datasets, streams and their jobs at the
// cases' times, in the order the case lists them.
import { randomBytes } from 'node:crypto';
import type { Extract, Load } from '../../lib/prequel/contract/job';
import type { TenantHealthInput } from '../../lib/prequel/contract/health/tenant-health';
import type { Queryable } from '../store/db';
import { uuidv7 } from '../store/uuid';

export interface SeededTenant {
  providerId: string;
  /** The case's ids (`dataset-orders`) → the engine's (UUIDs). */
  ids: Map<string, string>;
}

/** One datalake and one destination that every seeded tenant uses. */
export async function seedShared(
  db: Queryable,
): Promise<{ datalakeId: string; destinationId: string }> {
  const datalakeId = uuidv7();
  const destinationId = uuidv7();
  await db.query(
    `insert into datalakes (id, name, body) values ($1, 'health-lake', '{"storage":"local"}')`,
    [datalakeId],
  );
  await db.query(
    `insert into destinations (id, name, body) values ($1, 'health-destination', '{}')`,
    [destinationId],
  );
  return { datalakeId, destinationId };
}

export async function seedTenant(
  db: Queryable,
  shared: { datalakeId: string; destinationId: string },
  input: Pick<TenantHealthInput, 'sources' | 'datasets' | 'streams'>,
  provider: { id?: string; name?: string } = {},
): Promise<SeededTenant> {
  const providerId = provider.id ?? `health-${randomBytes(5).toString('hex')}`;
  const ids = new Map<string, string>();
  const idOf = (caseId: string) => {
    if (!ids.has(caseId)) ids.set(caseId, uuidv7());
    return ids.get(caseId)!;
  };
  await db.query(`insert into providers (id, name, datalake_id, body) values ($1, $2, $3, '{}')`, [
    providerId,
    provider.name ?? providerId,
    shared.datalakeId,
  ]);
  for (const source of input.sources) {
    await db.query(
      `insert into sources (id, provider_id, name, vendor, body, is_reachable) values ($1, $2, ` +
        `$3, 'postgres', '{}', $4)`,
      [idOf(source.id), providerId, source.name ?? source.id, source.is_reachable ?? null],
    );
  }
  const sourceId = input.sources[0] ? idOf(input.sources[0].id) : null;
  for (const dataset of input.datasets) {
    const id = idOf(dataset.id);
    await db.query(
      `insert into datasets (id, source_id, provider_id, name, body, schema_drift) values ($1, ` +
        `$2, $3, $4, $5, $6)`,
      [
        id,
        sourceId,
        providerId,
        dataset.name ?? dataset.id,
        JSON.stringify({ frequency_minutes: dataset.frequencyMinutes }),
        dataset.schemaDrift ? JSON.stringify(dataset.schemaDrift) : null,
      ],
    );
    if (dataset.lastSuccessAt)
      // The dataset's schedule row exists from its creation (migration 022).
      await db.query(`update dataset_state set last_success_at = $2 where dataset_id = $1`, [
        id,
        new Date(dataset.lastSuccessAt).toISOString(),
      ]);
    for (const extract of jobsOldestFirst(dataset.latestExtract, dataset.recentExtracts))
      await insertJob(db, 'extracts', 'dataset_id', id, extract);
  }
  const datasetId = input.datasets[0] ? idOf(input.datasets[0].id) : null;
  for (const stream of input.streams) {
    const id = idOf(stream.id);
    await db.query(
      `insert into streams (id, dataset_id, destination_id, provider_id, name, body, is_valid,
        disabled_reason, disabled_at)
       values ($1, $2, $3, $4, $5, $6, true, $7, $8)`,
      [
        id,
        datasetId,
        shared.destinationId,
        providerId,
        stream.name ?? stream.id,
        JSON.stringify({ is_enabled: stream.is_enabled }),
        stream.disabled_reason ?? null,
        stream.disabled_at ? new Date(stream.disabled_at).toISOString() : null,
      ],
    );
    for (const load of jobsOldestFirst(stream.latestLoad, stream.recentLoads))
      await insertJob(db, 'loads', 'stream_id', id, load);
  }
  return { providerId, ids };
}

/**
 * Each job once, in the order they were submitted, so `created_at` orders them as the API would
 * list them.
 */
function jobsOldestFirst<T extends Extract | Load>(latest: T | null, recent: T[] | undefined): T[] {
  const byId = new Map<string, T>();
  for (const job of [...(recent ?? []), ...(latest ? [latest] : [])]) byId.set(job.id, job);
  return [...byId.values()].sort((a, b) => Date.parse(a.submitted_at) - Date.parse(b.submitted_at));
}

async function insertJob(
  db: Queryable,
  table: 'extracts' | 'loads',
  owner: 'dataset_id' | 'stream_id',
  ownerId: string,
  job: Extract | Load,
) {
  await db.query(
    `insert into ${table} (id, ${owner}, status, submitted_at, started_at, ended_at, ` +
      `records_errored, error) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      uuidv7(),
      ownerId,
      job.status,
      job.submitted_at,
      job.started_at,
      job.ended_at,
      job.records_errored,
      job.error === null ? null : JSON.stringify(job.error),
    ],
  );
}
