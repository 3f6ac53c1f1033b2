// Pure: the launch step's one state after "Launch import", from each stream's latest load: still
// delivering (with the records so far), delivered, or stopped. Never two at once.
import { isActive } from '@/lib/prequel/contract/job';
import type { StreamRow } from './queries';

export type LaunchState =
  | { kind: 'ready' }
  | { kind: 'delivering'; delivered: number }
  | { kind: 'delivered'; delivered: number; refused: number }
  | { kind: 'stopped'; delivered: number; message: string };

export function launchState(rows: readonly StreamRow[] | undefined): LaunchState {
  const launched = (rows ?? []).filter((row) => row.isEnabled);
  if (launched.length === 0) return { kind: 'ready' };
  const loads = launched.map((row) => row.latestLoad);
  const delivered = loads.reduce((sum, load) => sum + (load?.records_loaded ?? 0), 0);
  // A stream enabled a moment before its first load is listed counts as on its way.
  if (loads.some((load) => load === null || isActive(load)))
    return { kind: 'delivering', delivered };
  const failed = loads.find((load) => load?.status === 'failed' || load?.status === 'cancelled');
  if (failed)
    return {
      kind: 'stopped',
      delivered,
      message: failed.error?.message ?? 'The delivery was cancelled.',
    };
  const refused = loads.reduce((sum, load) => sum + (load?.records_errored ?? 0), 0);
  return { kind: 'delivered', delivered, refused };
}

/** "1 record", "1,000 records". */
export const recordCount = (count: number) =>
  `${count.toLocaleString('en')} record${count === 1 ? '' : 's'}`;
