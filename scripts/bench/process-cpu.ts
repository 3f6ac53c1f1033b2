// CPU time of processes by pid, from Linux's /proc: what a benchmark spends where, when the engine,
// Postgres and the receiver share the same cores. Elsewhere (no /proc) every reading is null and
// the benchmark says so.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/**
 * utime + stime of one process (all its threads), in ms, plus with `reaped` what its children that
 * have exited spent (cutime + cstime); null when it is gone or /proc is not there.
 */
export function processCpuMs(pid: number, options: { reaped?: boolean } = {}): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted from the last ')'.
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const ticks = fields[11]! + fields[12]! + (options.reaped ? fields[13]! + fields[14]! : 0);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * A process and its children, living or exited (a Postgres server: the postmaster and its backends,
 * which come and go), in ms of CPU; null without /proc.
 */
export function treeCpuMs(rootPid: number): number | null {
  const own = processCpuMs(rootPid, { reaped: true });
  if (own === null) return null;
  let total = own;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid !== rootPid && parentOf(pid) === rootPid) total += processCpuMs(pid) ?? 0;
  }
  return total;
}

/** The postmaster's pid, from the first line of a data directory's postmaster.pid. */
export function postmasterPid(dataDir: string): number | null {
  try {
    return Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]) || null;
  } catch {
    return null;
  }
}

export type CpuReading = Record<string, number | null>;

/**
 * Reads each named source now; `since` gives what each spent from an earlier reading (null if
 * either is unknown).
 */
export function readCpu(sources: Record<string, () => number | null>): CpuReading {
  return Object.fromEntries(Object.entries(sources).map(([name, read]) => [name, read()]));
}

export function cpuSince(before: CpuReading, after: CpuReading): CpuReading {
  return Object.fromEntries(
    Object.keys(after).map((name) => [
      name,
      before[name] == null || after[name] == null ? null : after[name]! - before[name]!,
    ]),
  );
}
