// The first half of every datalake check: a small probe object written and read back, to compare
// bytes for bytes.
import { randomBytes } from 'node:crypto';
import type { DatalakeStore } from './datalake-store';

/** Where probes are written (relative, like every key); a check removes its own. */
export const PROBE_DIRECTORY = '_inlet-check';

/**
 * Writes a probe and reads it back: its key (for the caller to delete), and whether the bytes came
 * back unchanged.
 */
export async function roundTripProbe(
  store: Pick<DatalakeStore, 'putBytes' | 'getBytes'>,
): Promise<{ key: string; intact: boolean }> {
  const key = `${PROBE_DIRECTORY}/probe-${randomBytes(6).toString('hex')}`;
  const payload = `inlet datalake check ${new Date().toISOString()}`;
  await store.putBytes(key, payload);
  const back = await store.getBytes(key);
  return { key, intact: back.toString('utf8') === payload };
}
