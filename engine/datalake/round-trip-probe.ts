// Every datalake check: a small probe object written and read back, to compare bytes for bytes,
// then removed.
import { randomBytes } from 'node:crypto';
import type { DatalakeCheck, DatalakeStore } from './datalake-store';

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

/**
 * A datalake check around the probe: the bytes compared, then `removeProbe` (which may check more
 * on the way, such as listing), with each failure in the store's own words.
 */
export async function checkByRoundTrip(
  store: Pick<DatalakeStore, 'putBytes' | 'getBytes'>,
  how: {
    /** What to say when the bytes came back changed. */
    changedBytes: { message: string; hint: string };
    removeProbe: (key: string) => Promise<void>;
    describeFailure: (error: unknown) => DatalakeCheck;
  },
): Promise<DatalakeCheck> {
  try {
    const probe = await roundTripProbe(store);
    if (!probe.intact) return { ok: false, ...how.changedBytes };
    await how.removeProbe(probe.key);
    return { ok: true };
  } catch (error) {
    return how.describeFailure(error);
  }
}
