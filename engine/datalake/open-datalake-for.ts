// Opens the store of a saved datalake (or of a provider's datalake): row → secrets → validated
// config → store.
import path from 'node:path';
import { DatalakeCreateSchema } from '../../lib/prequel/contract/datalake';
import type { EngineContext } from '../engine-context';
import { mergeSecrets } from '../secrets/split-secrets';
import { isUuid } from '../store/uuid';
import { ARTIFACT_SIGNING_PURPOSE } from './artifact-url';
import { DatalakeError } from './datalake-error';
import type { DatalakeStore } from './datalake-store';
import { openDatalake } from './open-datalake';
import { endpointRefusal } from './s3-endpoint-policy';

interface DatalakeRow {
  id: string;
  body: Record<string, unknown>;
  secrets: Buffer | null;
  updated_at: string;
}

/**
 * Remote objects are cached here for localPath (below the data directory, like everything the
 * engine keeps).
 */
export const datalakeCacheDir = (engine: EngineContext) =>
  path.join(engine.dataDir, 'cache', 'datalake');

// Opened stores hold an S3 client (sockets) and a download cache: reuse them until the row changes.
const opened = new WeakMap<EngineContext, Map<string, { version: string; store: DatalakeStore }>>();

export async function openDatalakeFor(
  engine: EngineContext,
  datalakeId: string,
): Promise<DatalakeStore> {
  const notFound = () =>
    new DatalakeError(
      'datalake_not_found',
      `No datalake with id "${datalakeId}" exists.`,
      'Create the datalake, or point the provider at an existing one.',
    );
  if (!isUuid(datalakeId)) throw notFound();
  const row = (
    await engine.db.query<DatalakeRow>('select * from datalakes where id = $1', [datalakeId])
  ).rows[0];
  if (!row) throw notFound();

  let stores = opened.get(engine);
  if (!stores) opened.set(engine, (stores = new Map()));
  const version = `${row.updated_at} ${engine.publicUrl ?? ''}`;
  const cached = stores.get(row.id);
  if (cached && cached.version === version) return cached.store;

  const secrets = row.secrets ? engine.secretBox.open(`datalake:${row.id}`, row.secrets) : {};
  const parsed = DatalakeCreateSchema.safeParse(mergeSecrets(row.body, secrets));
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${['datalake', ...issue.path].join('.')}: ${issue.message}`)
      .join('; ');
    throw new DatalakeError(
      'datalake_invalid',
      `The saved datalake "${row.id}" is not a valid configuration (${problems}).`,
      'Update the datalake with PATCH /import/datalakes/{id}.',
    );
  }
  const hostPolicy = { lookup: engine.lookup, allowPrivateHosts: engine.allowPrivateHosts };
  const endpoint =
    parsed.data.storage === 's3_compatible' ? parsed.data.s3_compatible?.endpoint : undefined;
  const refusal = endpoint ? await endpointRefusal(endpoint, hostPolicy) : null;
  if (refusal) {
    throw new DatalakeError(
      'datalake_host_not_allowed',
      `The datalake's endpoint is not allowed: ${refusal}`,
      'Use the storage service’s public endpoint, or point the datalake elsewhere with PATCH ' +
        '/import/datalakes/{id}.',
    );
  }
  const store = openDatalake(parsed.data, {
    hostPolicy,
    dataDir: engine.dataDir,
    cacheDir: datalakeCacheDir(engine),
    datalakeId: row.id,
    artifactBaseUrl: engine.publicUrl,
    signingKey: engine.secretBox.deriveKey(ARTIFACT_SIGNING_PURPOSE),
  });
  stores.set(row.id, { version, store });
  return store;
}

export async function openDatalakeForProvider(
  engine: EngineContext,
  providerId: string,
): Promise<DatalakeStore> {
  const row = (
    await engine.db.query<{ datalake_id: string }>(
      'select datalake_id from providers where id = $1',
      [providerId],
    )
  ).rows[0];
  if (!row)
    throw new DatalakeError('provider_not_found', `No provider with id "${providerId}" exists.`);
  return openDatalakeFor(engine, row.datalake_id);
}
