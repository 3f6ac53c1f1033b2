import type { SchemaDrift } from '../../lib/prequel/contract/dataset';
import {
  StreamCreateSchema,
  StreamSchema,
  type Mapping,
  type StreamCreate,
} from '../../lib/prequel/contract/stream';
import { acknowledgeMappings } from '../extract/schema-drift';
import { forbidden, unprocessable } from '../http/api-error';
import { type StreamRetry, streamRetries } from '../loads/load-retries';
import { type Queryable, toRfc3339 } from '../store/db';
import { validateMappings } from '../validation/validate-mappings';
import { requireReference } from './references';
import type { ResourceDefinition, ResourceRow } from './resource-definition';

type DatasetRow = {
  id: string;
  provider_id: string;
  columns: { name: string }[] | null;
  schema_drift: SchemaDrift | null;
};
type DestinationRow = { id: string; name: string; body: { record_schema: unknown } };

const columnNames = (dataset: { columns: { name: string }[] | null }) =>
  dataset.columns?.map((column) => column.name) ?? null;

/**
 * Whether the provider may deliver to the destination through one of its products (`all` covers
 * everything).
 */
export async function providerHasDestination(
  db: Queryable,
  providerId: string,
  destinationId: string,
): Promise<boolean> {
  const result = await db.query(
    `select 1 from provider_products pp join products p on p.name = pp.product_name
     left join product_destinations pd on pd.product_id = p.id
     where pp.provider_id = $1 and (p.is_builtin or pd.destination_id = $2::uuid) limit 1`,
    [providerId, destinationId],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Recomputes is_valid of the streams that depend on a changed destination schema. */
export async function revalidateStreamsOf(
  db: Queryable,
  change: { destinationId: string; recordSchema: unknown },
) {
  const streams = await db.query<{
    id: string;
    body: { mappings: Mapping[] };
    columns: { name: string }[] | null;
  }>(
    `select s.id, s.body, d.columns from streams s join datasets d on d.id = s.dataset_id where ` +
      `s.destination_id = $1`,
    [change.destinationId],
  );
  for (const stream of streams.rows) {
    const isValid =
      validateMappings(stream.body.mappings, change.recordSchema, columnNames(stream)).length === 0;
    await db.query('update streams set is_valid = $2 where id = $1', [stream.id, isValid]);
  }
}

export const streams: ResourceDefinition<StreamCreate> = {
  key: 'stream',
  plural: 'streams',
  table: 'streams',
  path: '/import/streams',
  idType: 'uuid',
  eventPrefix: 'IMPORT_STREAM',
  createSchema: StreamCreateSchema,
  responseSchema: StreamSchema,
  filters: {
    provider_id: 'provider_id',
    dataset_id: 'dataset_id::text',
    destination_id: 'destination_id::text',
  },
  prepare: async ({ client, id, input, existing, skipValidation }) => {
    const dataset = await requireReference<DatasetRow>(
      client,
      'datasets',
      input.dataset_id,
      'stream.dataset_id',
      'dataset',
    );
    const destination = await requireReference<DestinationRow>(
      client,
      'destinations',
      input.destination_id,
      'stream.destination_id',
      'destination',
    );
    if (!(await providerHasDestination(client, dataset.provider_id, destination.id))) {
      throw forbidden(
        'destination_not_allowed',
        `Provider "${dataset.provider_id}" has no product that includes destination ` +
          `"${destination.name}": add the destination to one of its products, or give the ` +
          `provider "all".`,
        [{ path: 'stream.destination_id', message: 'is not available to this provider' }],
      );
    }
    const issues = validateMappings(
      input.mappings,
      destination.body.record_schema,
      columnNames(dataset),
    );
    const first = issues[0];
    if (first && !skipValidation) {
      throw unprocessable(
        first.code,
        `The mappings do not fit: ${first.path} ${first.message}.`,
        issues.map(({ path, message }) => ({ path, message })),
      );
    }
    // Mappings saved (again): the dataset's drift no longer holds this stream to the columns it
    // stopped reading.
    if (
      dataset.schema_drift &&
      JSON.stringify(existing?.body.mappings) !== JSON.stringify(input.mappings)
    ) {
      const drift = acknowledgeMappings(dataset.schema_drift, id, input.mappings);
      await client.query('update datasets set schema_drift = $2 where id = $1', [
        dataset.id,
        drift === null ? null : JSON.stringify(drift),
      ]);
    }
    return {
      dataset_id: dataset.id,
      destination_id: destination.id,
      provider_id: dataset.provider_id,
      name: input.name,
      is_valid: issues.length === 0,
      // Enabling a stream the engine disabled (410 Gone) is the operator saying the endpoint is
      // back.
      ...(input.is_enabled ? { disabled_reason: null, disabled_at: null } : {}),
    };
  },
  toResponse: async (row, db) =>
    streamResponse(row, (await streamRetries(db, [row.id])).get(row.id) ?? null),
};

/**
 * A stream's read shape, with its retries read beforehand (for many streams at once:
 * `streamRetries`).
 */
export function streamResponse(row: ResourceRow, retry: StreamRetry | null) {
  return {
    id: row.id,
    ...row.body,
    provider_id: row.provider_id,
    is_valid: row.is_valid,
    disabled_reason: row.disabled_reason ?? null,
    disabled_at: typeof row.disabled_at === 'string' ? toRfc3339(row.disabled_at) : null,
    // (ext) Records the endpoint could not take yet, and when they are tried again.
    retry,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
