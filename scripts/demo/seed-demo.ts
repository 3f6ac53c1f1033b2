// Seeds the demo through the Import API: a datalake, the SaaS's destinations, Acme Corp (left for
// the presenter to onboard in the wizard) and a few tenants already running. Finds what exists by
// name or id, so every start may run it.
import { z } from 'zod';
import { DatalakeSchema } from '../../lib/prequel/contract/datalake';
import { DatasetSchema } from '../../lib/prequel/contract/dataset';
import { DestinationSchema, type DestinationCreate } from '../../lib/prequel/contract/destination';
import { ProviderSchema } from '../../lib/prequel/contract/provider';
import { SourceSchema } from '../../lib/prequel/contract/source';
import { StreamSchema } from '../../lib/prequel/contract/stream';
import { ACME, acmeSourceSpec, DEFAULT_ACME_CUSTOMERS, DEMO_DATALAKE_NAME } from './demo-defaults';
import {
  DEMO_DESTINATION_KEYS,
  DEMO_DESTINATION_NAMES,
  DEMO_FEEDS,
  type DemoDestinationKey,
  demoDestinations,
} from './demo-destinations';
import {
  type DemoTenant,
  OTHER_TENANTS,
  tenantDatabase,
  tenantPassword,
  tenantRole,
} from './demo-tenants';
import { createImportApi, type ImportApi } from './import-api';
import { prepareSourceDatabase } from './source-databases';
import { type PostgresSourceHints, postgresConnection } from './source-hints';

export interface SeedDemoOptions {
  /** The Import API, as the app is configured: PREQUEL_API_URL and PREQUEL_API_KEY. */
  api: { url: string; apiKey: string };
  /** The reference receiver the destinations deliver to. */
  receiverUrl: string;
  /**
   * A superuser URL of the Postgres server that holds the source databases (the engine must reach
   * it too).
   */
  pgAdminUrl: string;
  /** Appended to every database and role name: tests share one server. */
  suffix?: string;
  acmeCustomers?: number;
  tenants?: readonly DemoTenant[];
}

export interface SeededTenant {
  id: string;
  sourceId: string | null;
  datasetIds: string[];
  streamIds: string[];
}

export interface DemoSeed {
  datalakeId: string;
  destinationIds: Record<DemoDestinationKey, string>;
  acme: { providerId: string; source: PostgresSourceHints };
  tenants: SeededTenant[];
}

const DatasetWithTableSchema = DatasetSchema.extend({
  table: z.looseObject({ source_table_name: z.string() }).optional(),
});

export async function seedDemo(options: SeedDemoOptions): Promise<DemoSeed> {
  const suffix = options.suffix ?? '';
  const tenants = options.tenants ?? OTHER_TENANTS;
  const api = createImportApi({ ...options.api, actor: 'demo:seed' });

  const acmeSource = await prepareSourceDatabase(options.pgAdminUrl, {
    ...acmeSourceSpec(suffix),
    sample: { customers: options.acmeCustomers ?? DEFAULT_ACME_CUSTOMERS },
  });
  const tenantSources = new Map<string, PostgresSourceHints>();
  for (const tenant of tenants) {
    if (!tenant.source) continue;
    const spec = {
      database: tenantDatabase(tenant.id, suffix),
      role: tenantRole(tenant.id, suffix),
      password: tenantPassword(tenant.id),
    };
    tenantSources.set(
      tenant.id,
      await prepareSourceDatabase(options.pgAdminUrl, { ...spec, sample: tenant.source }),
    );
  }

  const datalakeId = await ensureDatalake(api);
  const destinationIds = await ensureDestinations(api, demoDestinations(options.receiverUrl));
  await ensureProvider(api, ACME, datalakeId);
  const seeded: SeededTenant[] = [];
  for (const tenant of tenants) {
    await ensureProvider(api, tenant, datalakeId);
    const hints = tenantSources.get(tenant.id);
    seeded.push(
      hints
        ? await ensureFeeds(api, tenant, hints, destinationIds)
        : { id: tenant.id, sourceId: null, datasetIds: [], streamIds: [] },
    );
  }
  return {
    datalakeId,
    destinationIds,
    acme: { providerId: ACME.id, source: acmeSource },
    tenants: seeded,
  };
}

async function ensureDatalake(api: ImportApi): Promise<string> {
  const existing = (await api.list('/import/datalakes', 'datalakes', DatalakeSchema)).find(
    (datalake) => datalake.name === DEMO_DATALAKE_NAME,
  );
  if (existing) return existing.id;
  return (
    await api.create('/import/datalakes', 'datalake', DatalakeSchema, {
      name: DEMO_DATALAKE_NAME,
      storage: 'local',
      local: { path: 'datalake' },
    })
  ).id;
}

/**
 * Creates missing destinations; one whose endpoint, schema or deadline differs (the receiver moved
 * port) is brought up to date.
 */
async function ensureDestinations(
  api: ImportApi,
  wanted: Record<DemoDestinationKey, DestinationCreate>,
): Promise<Record<DemoDestinationKey, string>> {
  const existing = await api.list('/import/destinations', 'destinations', DestinationSchema);
  const ids = {} as Record<DemoDestinationKey, string>;
  for (const key of DEMO_DESTINATION_KEYS) {
    const config = wanted[key];
    const found = existing.find(
      (destination) =>
        destination.name === DEMO_DESTINATION_NAMES[key] && destination.type === config.type,
    );
    if (!found) {
      ids[key] = (
        await api.create('/import/destinations', 'destination', DestinationSchema, config)
      ).id;
      continue;
    }
    ids[key] = found.id;
    const block = config.type === 'webhook_record' ? 'webhook_record' : 'webhook_batch';
    if (
      canonicalJson(found[block]) !== canonicalJson(config[block]) ||
      canonicalJson(found.record_schema) !== canonicalJson(config.record_schema) ||
      found.timeout_seconds !== config.timeout_seconds
    ) {
      await api.update(`/import/destinations/${found.id}`, 'destination', DestinationSchema, {
        [block]: config[block],
        record_schema: config.record_schema,
        timeout_seconds: config.timeout_seconds ?? null,
      });
    }
  }
  return ids;
}

async function ensureProvider(
  api: ImportApi,
  provider: { id: string; name: string },
  datalakeId: string,
) {
  const found = await api.get(
    `/import/providers/${encodeURIComponent(provider.id)}`,
    'provider',
    ProviderSchema,
  );
  if (!found)
    await api.create('/import/providers', 'provider', ProviderSchema, {
      id: provider.id,
      name: provider.name,
      datalake_id: datalakeId,
      products: ['all'],
    });
}

/** The tenant's source, one dataset per fed table and an enabled stream per destination. */
async function ensureFeeds(
  api: ImportApi,
  tenant: DemoTenant,
  hints: PostgresSourceHints,
  destinationIds: Record<DemoDestinationKey, string>,
): Promise<SeededTenant> {
  const byProvider = { provider_id: tenant.id };
  const sourceName = `${tenant.name} production`;
  const sources = await api.list('/import/sources', 'sources', SourceSchema, byProvider);
  const source =
    sources.find((candidate) => candidate.name === sourceName) ??
    (await api.create('/import/sources', 'source', SourceSchema, {
      name: sourceName,
      vendor: 'postgres',
      provider_id: tenant.id,
      postgres: postgresConnection(hints),
    }));

  const datasets = await api.list(
    '/import/datasets',
    'datasets',
    DatasetWithTableSchema,
    byProvider,
  );
  const streams = await api.list('/import/streams', 'streams', StreamSchema, byProvider);
  const result: SeededTenant = {
    id: tenant.id,
    sourceId: source.id,
    datasetIds: [],
    streamIds: [],
  };
  for (const key of tenant.feeds) {
    const feed = DEMO_FEEDS[key];
    const dataset =
      datasets.find(
        (candidate) =>
          candidate.source_id === source.id && candidate.table?.source_table_name === feed.table,
      ) ??
      (await api.create('/import/datasets', 'dataset', DatasetSchema, {
        source_id: source.id,
        name: feed.table,
        frequency_minutes: 15,
        method: 'table',
        table: { source_table_namespace: 'public', source_table_name: feed.table },
        ...feed.dataset,
      }));
    const destinationId = destinationIds[key];
    const stream =
      streams.find(
        (candidate) =>
          candidate.dataset_id === dataset.id && candidate.destination_id === destinationId,
      ) ??
      (await api.create('/import/streams', 'stream', StreamSchema, {
        name: `${feed.table} → ${DEMO_DESTINATION_NAMES[key]}`,
        dataset_id: dataset.id,
        destination_id: destinationId,
        mappings: feed.mappings,
        is_enabled: true,
      }));
    result.datasetIds.push(dataset.id);
    result.streamIds.push(stream.id);
  }
  return result;
}

/**
 * JSON with object keys sorted: Postgres's jsonb keeps its own key order, so text comparison needs
 * one order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
