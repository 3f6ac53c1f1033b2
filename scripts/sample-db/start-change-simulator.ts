// The live demo's source activity: a batch of simulated changes every few seconds until stopped.
import { simulateChanges, type TouchedIds } from './simulate-changes';
import type { SampleTarget } from './sample-target';

export interface ChangeSimulatorOptions {
  everyMs: number;
  /** Changes per tick (see simulateChanges). */
  batch: { inserts: number; updates: number; softDeletes: number; hardDeletes?: number };
  schema?: string;
  /** Tick n uses seed + n, so a whole demo run can be replayed on the same starting data. */
  seed?: number;
  onChanges?: (changes: TouchedIds) => void;
  /**
   * A failed tick is reported and the next one still runs; a demo should survive a hiccup in its
   * database.
   */
  onError?: (error: unknown) => void;
}

export interface ChangeSimulator {
  pause(): void;
  resume(): void;
  /** Resolves once a tick in flight has committed or failed. */
  stop(): Promise<void>;
}

/**
 * Pass a pool or a connection of its own: the simulator runs transactions whenever its timer fires.
 */
export function startChangeSimulator(
  target: SampleTarget,
  options: ChangeSimulatorOptions,
): ChangeSimulator {
  if (!Number.isFinite(options.everyMs) || options.everyMs <= 0)
    throw new RangeError('everyMs must be a positive number');
  let paused = false;
  let stopped = false;
  let tick = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (!stopped) timer = setTimeout(run, options.everyMs);
  };
  const run = () => {
    if (paused) return schedule();
    const seed = options.seed === undefined ? undefined : options.seed + tick;
    tick++;
    inFlight = simulateChanges(target, { ...options.batch, schema: options.schema, seed })
      .then(
        (changes) => options.onChanges?.(changes),
        (error: unknown) => (options.onError ?? defaultOnError)(error),
      )
      .finally(schedule);
  };
  schedule();

  return {
    pause: () => void (paused = true),
    resume: () => void (paused = false),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

function defaultOnError(error: unknown): void {
  console.error('change simulator: a batch failed', error);
}
