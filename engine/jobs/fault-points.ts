// Test-only fault injection: INLET_FAULT_POINTS="after_upload:2" kills this process (SIGKILL) the
// 2nd time the extract reaches `after_upload`, so crash-recovery tests can stop a real engine at an
// exact point. A thread reads the variable as it starts, and counts on its own.
const configured = new Map<string, number>(
  (process.env.INLET_FAULT_POINTS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name = '', count = '1'] = entry.split(':');
      return [name, Number(count)] as const;
    }),
);
const reached = new Map<string, number>();

export type FaultPoint =
  | 'before_chunk'
  | 'during_read'
  | 'after_read'
  | 'after_parquet'
  | 'after_upload'
  | 'after_commit'
  | 'before_finish'
  | 'load_after_send'
  /** Not a kill: the load thread throws outside any request (see page-thread-entry.mjs). */
  | 'load_thread_uncaught';

/** Whether this is the configured time `name` is reached. */
export function faultReached(name: FaultPoint): boolean {
  const target = configured.get(name);
  if (target === undefined) return false;
  const count = (reached.get(name) ?? 0) + 1;
  reached.set(name, count);
  return count === target;
}

export function faultPoint(name: FaultPoint): void {
  if (faultReached(name)) process.kill(process.pid, 'SIGKILL');
}
