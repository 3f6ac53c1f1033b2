// Reads a saved source back as its create request, secrets included: what connections and extracts
// need.
import { type SourceCreate, SourceCreateSchema } from '../../lib/prequel/contract/source';
import type { EngineContext } from '../engine-context';
import { requireById } from '../http/require-by-id';
import { mergeSecrets } from '../secrets/split-secrets';

export interface LoadedSource {
  id: string;
  config: SourceCreate;
  /**
   * The row's updated_at as stored: a test outcome is recorded only if the source did not change
   * meanwhile.
   */
  version: string;
}

interface SourceRow {
  id: string;
  body: Record<string, unknown>;
  secrets: Buffer | null;
  updated_at: string;
}

export async function loadSource(
  engine: Pick<EngineContext, 'db' | 'secretBox'>,
  id: string,
): Promise<LoadedSource> {
  const row = await requireById<SourceRow>(
    engine.db,
    'source',
    'select id, body, secrets, updated_at from sources where id = $1',
    id,
  );
  const secrets = row.secrets ? engine.secretBox.open(`source:${row.id}`, row.secrets) : {};
  const parsed = SourceCreateSchema.safeParse(mergeSecrets(row.body, secrets));
  if (!parsed.success)
    throw new Error(
      `The stored source ${row.id} no longer matches the source schema: ` +
        `${parsed.error.issues[0]?.message}`,
    );
  return { id: row.id, config: parsed.data, version: row.updated_at };
}

/**
 * The validated configuration of a saved source with its secrets merged back, or a 404 ApiError.
 */
export async function loadSourceConfig(
  engine: Pick<EngineContext, 'db' | 'secretBox'>,
  id: string,
): Promise<SourceCreate> {
  return (await loadSource(engine, id)).config;
}
