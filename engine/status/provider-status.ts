// One provider's status in a fixed number of set-based reads, whatever its number of datasets and
// streams: its sources, datasets with their newest extracts, streams with their newest loads and
// waiting records, as the per-object endpoints answer them.
import { extractResponse, type ExtractRow } from '../extract/extract-record';
import { notFound } from '../http/api-error';
import { loadResponse, type LoadRow } from '../loads/load-record';
import { streamRetries } from '../loads/load-retries';
import { findRow, normaliseRow, responseOf } from '../resources/crud-routes';
import { datasets } from '../resources/datasets';
import { providers } from '../resources/providers';
import type { ResourceDefinition, ResourceRow } from '../resources/resource-definition';
import { sources } from '../resources/sources';
import { streamResponse } from '../resources/streams';
import type { Queryable } from '../store/db';

// Typed as any resource, as create-app.ts mounts them.
const [providerResource, sourceResource, datasetResource] = [
  providers,
  sources,
  datasets,
] as unknown as [ResourceDefinition, ResourceDefinition, ResourceDefinition];

/** The newest `history` jobs of each owner, in one statement (an index scan per owner). */
async function newestJobs<Row extends { id: string }>(
  db: Queryable,
  table: 'extracts' | 'loads',
  owner: 'dataset_id' | 'stream_id',
  ownerIds: string[],
  history: number,
) {
  const { rows } = await db.query<Row & Record<typeof owner, string>>(
    `select job.* from unnest($1::uuid[]) with ordinality as owner(id, position)
     cross join lateral (select * from ${table} j where j.${owner} = owner.id order by
       j.created_at desc, j.id desc limit $2) job
     order by owner.position, job.created_at desc, job.id desc`,
    [ownerIds, history],
  );
  const byOwner = new Map<string, Row[]>(ownerIds.map((id) => [id, []]));
  for (const row of rows) byOwner.get(row[owner])!.push(row);
  return byOwner;
}

type Body = Record<string, unknown>;
/**
 * The shape of ProviderStatusSchema (lib/prequel/contract/provider-status.ts), each object as its
 * own endpoint reads it.
 */
export type ProviderStatusBody = {
  provider: Body;
  sources: Body[];
  datasets: Body[];
  streams: Body[];
  read_at: string;
};

export async function readProviderStatus(
  db: Queryable,
  providerId: string,
  history: number,
): Promise<ProviderStatusBody> {
  const provider = await findRow(db, providerResource, providerId);
  if (!provider) throw notFound('provider', providerId);
  const newestFirst = 'order by created_at desc, id desc';
  const [sourceRows, datasetRows, streamRows] = await Promise.all([
    db.query<ResourceRow>(`select * from sources where provider_id = $1 ${newestFirst}`, [
      providerId,
    ]),
    db.query<ResourceRow>(`select * from datasets where provider_id = $1 ${newestFirst}`, [
      providerId,
    ]),
    db.query<ResourceRow & { destination_name: string }>(
      `select s.*, d.name as destination_name from streams s join destinations d on d.id = ` +
        `s.destination_id where s.provider_id = $1 order by s.created_at desc, s.id desc`,
      [providerId],
    ),
  ]);
  const datasetIds = datasetRows.rows.map((row) => row.id);
  const streamIds = streamRows.rows.map((row) => row.id);
  const [extracts, loads, retries] = await Promise.all([
    newestJobs<ExtractRow>(db, 'extracts', 'dataset_id', datasetIds, history),
    newestJobs<LoadRow>(db, 'loads', 'stream_id', streamIds, history),
    streamRetries(db, streamIds),
  ]);
  return {
    provider: await responseOf(providerResource, provider, db),
    sources: await Promise.all(sourceRows.rows.map((row) => responseOf(sourceResource, row, db))),
    datasets: await Promise.all(
      datasetRows.rows.map(async (row) => ({
        ...(await responseOf(datasetResource, row, db)),
        extracts: extracts.get(row.id)!.map(extractResponse),
      })),
    ),
    streams: streamRows.rows.map(({ destination_name, ...row }) => ({
      ...streamResponse(normaliseRow(row), retries.get(row.id) ?? null),
      destination_name,
      loads: loads.get(row.id)!.map(loadResponse),
    })),
    read_at: new Date().toISOString(),
  };
}
