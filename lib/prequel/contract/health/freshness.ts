// Pure: how old a dataset's data is and when it is refreshed next, in one line a non-expert can
// read.
import { humanDuration, toDate } from './human-duration';

export interface FreshnessInput {
  /** When the last successful extract ended; null when none has. */
  lastSuccessAt: Date | string | null | undefined;
  /** When the next extract is due; null when none is scheduled (a paused dataset). */
  nextRunAt: Date | string | null | undefined;
  frequencyMinutes: number;
  /** An extract is queued or running right now. */
  running: boolean;
  now: Date;
}

export interface Freshness {
  /** Whole minutes since the last success; null when the data was never imported. */
  behindMinutes: number | null;
  text: string;
  /** The data is more than two runs old: something kept it from refreshing. */
  stale: boolean;
}

const MINUTE = 60_000;
/** How late a run may start before it reads as overdue: the queue needs a moment to pick it up. */
const START_GRACE_MS = MINUTE;

export function freshness({
  lastSuccessAt,
  nextRunAt,
  frequencyMinutes,
  running,
  now,
}: FreshnessInput): Freshness {
  const last = toDate(lastSuccessAt);
  const next = toDate(nextRunAt);
  const behindMs = last === null ? null : Math.max(0, now.getTime() - last.getTime());
  const behindMinutes = behindMs === null ? null : Math.floor(behindMs / MINUTE);
  const stale = behindMinutes !== null && behindMinutes > 2 * frequencyMinutes;
  const upToDate = behindMs !== null && behindMs < MINUTE;
  const age =
    behindMs === null
      ? 'never imported yet'
      : upToDate
        ? 'up to date'
        : `${humanDuration(behindMs)} behind`;

  return {
    behindMinutes,
    stale,
    text: describe({ running, age, upToDate, never: last === null, next, now }),
  };
}

function describe({
  running,
  age,
  upToDate,
  never,
  next,
  now,
}: {
  running: boolean;
  age: string;
  upToDate: boolean;
  never: boolean;
  next: Date | null;
  now: Date;
}): string {
  if (running) return never || upToDate ? 'Running now' : `Running now, ${age}`;
  const run = never ? 'first run' : 'next run';
  if (next === null) return capitalise(age);
  const untilMs = next.getTime() - now.getTime();
  if (untilMs >= 0) return `${capitalise(age)}, ${run} in ${humanDuration(untilMs)}`;
  if (-untilMs < START_GRACE_MS) return `${capitalise(age)}, ${run} starting`;
  return `Overdue by ${humanDuration(-untilMs)}, ${age}`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
