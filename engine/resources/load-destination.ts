// Reads a saved destination back as its create request, secret headers included: what deliveries
// need.
import {
  type DestinationCreate,
  DestinationCreateSchema,
} from '../../lib/prequel/contract/destination';
import type { EngineContext } from '../engine-context';
import { mergeSecrets } from '../secrets/split-secrets';

interface DestinationRow {
  id: string;
  body: Record<string, unknown>;
  secrets: Buffer | null;
}

/**
 * Rows written before headers were sealed still carry them in `body`: merged the same way, they
 * keep working.
 */
export async function loadDestinationConfig(
  engine: Pick<EngineContext, 'db' | 'secretBox'>,
  id: string,
): Promise<DestinationCreate | null> {
  const row = (
    await engine.db.query<DestinationRow>(
      'select id, body, secrets from destinations where id = $1',
      [id],
    )
  ).rows[0];
  if (!row) return null;
  const secrets = row.secrets ? engine.secretBox.open(`destination:${row.id}`, row.secrets) : {};
  return DestinationCreateSchema.parse(mergeSecrets(row.body, secrets));
}
