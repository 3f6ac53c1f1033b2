// Pure: a stream's records waiting for a retry, in one line ("30 records waiting, next retry at
// 14:05 (in 5 min)").
import { clockTime, humanDuration, toDate } from '@/lib/prequel/contract/health/human-duration';

export interface WaitingRecords {
  recordsWaiting: number;
  /** When the next retry is due; null while the stream is paused or stopped. */
  nextRetryAt: Date | string | null;
}

const count = (n: number) => `${n.toLocaleString('en')} record${n === 1 ? '' : 's'} waiting`;

export function waitingRecordsText(waiting: WaitingRecords, now: Date, timeZone = 'UTC'): string {
  const next = toDate(waiting.nextRetryAt);
  if (next === null)
    return `${count(waiting.recordsWaiting)}: sent once the deliveries are resumed`;
  const inMs = next.getTime() - now.getTime();
  // Due or claimed by the retry that is starting.
  if (inMs <= 1000) return `${count(waiting.recordsWaiting)}, retrying now`;
  return (
    `${count(waiting.recordsWaiting)}, next retry at ${clockTime(next, now, timeZone)} (in ` +
    `${humanDuration(inMs)})`
  );
}
