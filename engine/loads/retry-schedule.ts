// Pure: when a stream's undelivered records are tried again. A load gives a request a few quick
// attempts; records still refused after those (408/429/5xx, timeouts, connection errors) wait for a
// retry of their own on this schedule, independent of extracts, as webhook platforms do (Svix: 5 s,
// 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).

/**
 * 5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; the last step repeats until the stream is
 * disabled for failing too long.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, 60_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

/**
 * ±10 %: streams that failed together (one endpoint's outage) do not all come back at the same
 * moment.
 */
const JITTER = 0.1;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const MAX_STEP_MS = 7 * 24 * 3_600_000;

/**
 * "5s,1m,5m,30m,2h" → milliseconds; throws a sentence naming the bad step (the engine stops with
 * it).
 */
export function parseRetrySchedule(text: string): number[] {
  const steps = text
    .split(',')
    .map((step) => step.trim())
    .filter(Boolean);
  if (!steps.length || steps.length > 50)
    throw new Error('must list 1 to 50 delays, e.g. 5s,1m,5m,30m,2h,5h,10h,10h');
  return steps.map((step) => {
    const match = /^(\d+)(ms|s|m|h)$/.exec(step);
    const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : NaN;
    if (!(ms >= 1 && ms <= MAX_STEP_MS))
      throw new Error(
        `"${step}" is not a delay: use a whole number with ms, s, m or h, up to 7 days (e.g. ` +
          `5s,1m,5m)`,
      );
    return ms;
  });
}

/** The delay of a step (0-based), jittered; steps past the end repeat the last one. */
export function retryDelay(
  step: number,
  schedule: readonly number[] = DEFAULT_RETRY_SCHEDULE_MS,
  random: () => number = Math.random,
): number {
  const base = schedule[Math.min(Math.max(step, 0), schedule.length - 1)]!;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/** What one load (or a load that failed before sending) changes in its stream's retry state. */
export interface LoadRetryOutcome {
  /** Records the endpoint accepted. */
  delivered: number;
  /** Records this load tried and left waiting because the endpoint was unavailable. */
  unavailable: number;
  /** The latest time the endpoint asked to be left alone until (Retry-After), if any. */
  notBeforeMs: number | null;
}

export interface RetryState {
  /**
   * The step the next scheduled retry uses: 0 after a success, +1 per retry round that delivered
   * nothing.
   */
  step: number;
  nextRetryAtMs: number | null;
}

/**
 * The stream's retry state after a load. Nothing waiting: none scheduled. A delivery anywhere
 * starts the schedule over; a load that tried and delivered nothing moves one step on; a load that
 * never reached the endpoint keeps a retry already planned. Retry-After later than the step is
 * honoured.
 */
export function nextRetryState(
  current: RetryState,
  waiting: number,
  load: LoadRetryOutcome,
  options: { nowMs: number; schedule?: readonly number[]; random?: () => number },
): RetryState {
  if (waiting === 0) return { step: 0, nextRetryAtMs: null };
  const tried = load.delivered > 0 || load.unavailable > 0;
  if (!tried && current.nextRetryAtMs !== null) return current;
  const step = load.delivered > 0 ? 0 : current.step;
  const at = options.nowMs + retryDelay(step, options.schedule, options.random);
  return { step: tried ? step + 1 : step, nextRetryAtMs: Math.max(at, load.notBeforeMs ?? 0) };
}
