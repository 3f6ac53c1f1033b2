// Pure: one tenant's health for the support console, judged from its latest jobs, and the order that puts the worst first.
import type { SchemaDrift } from '@/lib/prequel/contract/dataset';
import type { Extract, Load } from '@/lib/prequel/contract/job';
import { freshness } from './freshness';
import { humanDuration, toDate } from './human-duration';
import { runTime } from './run-history';
import { whoseMove } from './whose-move';

export type Health = 'healthy' | 'degraded' | 'failing' | 'onboarding_incomplete';

/** For sorting: the higher, the sooner support should look. */
export const HEALTH_SEVERITY: Record<Health, number> = { failing: 3, degraded: 2, onboarding_incomplete: 1, healthy: 0 };

export interface TenantHealthInput {
  sources: { id: string; name?: string; is_reachable?: boolean | null }[];
  datasets: {
    id: string;
    name?: string;
    latestExtract: Extract | null;
    /** Earlier extracts, any order: they show how long a failure has lasted, and what a running job hides. */
    recentExtracts?: Extract[];
    lastSuccessAt?: string | Date | null;
    frequencyMinutes: number;
    /** Mapped columns gone or retyped at the source (ext). */
    schemaDrift?: SchemaDrift | null;
  }[];
  streams: {
    id: string;
    name?: string;
    is_enabled: boolean;
    /** Set when the engine stopped the stream (its endpoint is gone). */
    disabled_reason?: string | null;
    disabled_at?: string | Date | null;
    latestLoad: Load | null;
    recentLoads?: Load[];
  }[];
  now: Date;
  /** Names the SaaS in the reasons ("Acme's endpoint is failing"). */
  saasName?: string;
}

export interface TenantHealth {
  health: Health;
  severity: number;
  /** When the problems that decide the health began, as far as the jobs at hand tell; null when unknown. */
  brokenSince: Date | null;
  /** Why, worst first, one sentence each. */
  reasons: string[];
}

type Level = 'failing' | 'degraded';
type Problem = { level: Level; reason: string; since: Date | null };
type Job = Extract | Load;

export function tenantHealth(input: TenantHealthInput): TenantHealth {
  const onboarding = missingStep(input);
  if (onboarding) return { health: 'onboarding_incomplete', severity: HEALTH_SEVERITY.onboarding_incomplete, brokenSince: null, reasons: [onboarding] };

  const problems = [...input.sources.flatMap(sourceProblems), ...input.datasets.flatMap((dataset) => datasetProblems(dataset, input)), ...streamProblems(input)];
  const health: Health = problems.some((problem) => problem.level === 'failing') ? 'failing' : problems.length ? 'degraded' : 'healthy';
  const deciding = problems.filter((problem) => problem.level === health);
  const starts = deciding.flatMap((problem) => (problem.since ? [problem.since.getTime()] : []));
  const ordered = [...deciding, ...problems.filter((problem) => problem.level !== health)];
  return {
    health,
    severity: HEALTH_SEVERITY[health],
    brokenSince: starts.length ? new Date(Math.min(...starts)) : null,
    reasons: ordered.map((problem) => problem.reason),
  };
}

/** Sorts tenants worst first, and within a severity the one broken longest first (unknown starts last). */
export function compareTenants(a: Pick<TenantHealth, 'severity' | 'brokenSince'>, b: Pick<TenantHealth, 'severity' | 'brokenSince'>): number {
  if (a.severity !== b.severity) return b.severity - a.severity;
  const since = (health: Pick<TenantHealth, 'brokenSince'>) => health.brokenSince?.getTime() ?? Number.POSITIVE_INFINITY;
  const difference = since(a) - since(b);
  return Number.isNaN(difference) ? 0 : difference;
}

/** The first wizard step the tenant has not done; a stream counts once launched (enabled, stopped by the engine, or ever loaded). */
function missingStep({ sources, datasets, streams }: TenantHealthInput): string | null {
  if (!sources.length) return 'No database connected yet';
  if (!datasets.length) return 'No data chosen yet';
  if (!streams.length) return 'No mapping saved yet';
  const launched = streams.some((stream) => stream.is_enabled || stream.disabled_reason || stream.latestLoad || stream.recentLoads?.length);
  return launched ? null : 'Not launched yet';
}

function sourceProblems(source: TenantHealthInput['sources'][number]): Problem[] {
  // The flag only records the last connection test: a later extract that fails says more, so this alone only degrades.
  return source.is_reachable === false ? [{ level: 'degraded', reason: `Source ${source.name ?? source.id} failed its last connection test`, since: null }] : [];
}

function datasetProblems(dataset: TenantHealthInput['datasets'][number], { now, saasName }: TenantHealthInput): Problem[] {
  const label = `Dataset ${dataset.name ?? dataset.id}`;
  const finished = finishedNewestFirst(dataset.latestExtract, dataset.recentExtracts);
  const failure = failureOf(finished, label, now, saasName);
  if (failure) return [failure];
  // A mapped column gone stops the deliveries that read it; one retyped may only refuse some records.
  const problems: Problem[] = (dataset.schemaDrift?.columns ?? []).map((column) => ({
    level: column.change === 'removed' ? 'failing' : 'degraded',
    reason: `${label}: the mapping needs a change: column "${column.name}" ${column.change === 'removed' ? 'is gone' : `changed type (${column.previous_type} → ${column.current_type})`}`,
    since: null,
  }));
  const last = finished[0];
  if (last && last.records_errored > 0) {
    problems.push({ level: 'degraded', reason: `${label}: ${count(last.records_errored, 'row')} could not be read`, since: runTime(last) });
  }
  const lastSuccessAt = toDate(dataset.lastSuccessAt) ?? (last ? runTime(last) : null);
  const fresh = freshness({ lastSuccessAt, nextRunAt: null, frequencyMinutes: dataset.frequencyMinutes, running: false, now });
  if (fresh.stale && lastSuccessAt) {
    problems.push({
      level: 'degraded',
      reason: `${label}: data is ${humanDuration(now.getTime() - lastSuccessAt.getTime())} old (refreshed every ${humanDuration(dataset.frequencyMinutes * 60_000)})`,
      // Stale from the moment it missed its second refresh.
      since: new Date(lastSuccessAt.getTime() + 2 * dataset.frequencyMinutes * 60_000),
    });
  }
  return problems;
}

function streamProblems({ streams, now, saasName }: TenantHealthInput): Problem[] {
  const problems: Problem[] = [];
  let delivering = 0;
  for (const stream of streams) {
    const label = `Stream ${stream.name ?? stream.id}`;
    const finished = finishedNewestFirst(stream.latestLoad, stream.recentLoads);
    if (stream.disabled_reason) {
      const lastFailure = finished.find((load) => load.status === 'failed');
      problems.push({ level: 'failing', reason: `${label} was stopped: ${stream.disabled_reason}`, since: toDate(stream.disabled_at) ?? (lastFailure ? runTime(lastFailure) : null) });
      continue;
    }
    if (!stream.is_enabled) continue;
    delivering++;
    const failure = failureOf(finished, label, now, saasName);
    if (failure) problems.push(failure);
    else if (finished[0] && finished[0].records_errored > 0) {
      const newest = finished[0];
      // As the customer's board says it: the load's error when the destination stopped them, else the mapping did.
      const why = newest.error ? whoseMove(newest.error, { now, saasName }).title : 'the mapping needs a change';
      problems.push({ level: 'degraded', reason: `${label}: ${count(newest.records_errored, 'record')} not delivered: ${why}`, since: runTime(newest) });
    }
  }
  const stopped = streams.some((stream) => stream.disabled_reason);
  // Paused on purpose, but nothing reaches the SaaS: worth a look, not an alarm.
  if (!delivering && !stopped) problems.push({ level: 'degraded', reason: 'Every stream is paused', since: null });
  return problems;
}

/** A failure streak ending with the newest finished job: failing unless it is one that passes by itself. */
function failureOf(finished: Job[], label: string, now: Date, saasName: string | undefined): Problem | null {
  const newest = finished[0];
  if (newest?.status !== 'failed') return null;
  const streak = finished.slice(0, indexOrEnd(finished.findIndex((job) => job.status === 'succeeded'), finished.length));
  const move = whoseMove(newest.error, { now, saasName });
  const starts = streak.map((job) => runTime(job).getTime());
  const runs = streak.length > 1 ? ` (${streak.length} runs in a row)` : '';
  return { level: move.party === 'temporary' ? 'degraded' : 'failing', reason: `${label}: ${move.title}${runs}`, since: new Date(Math.min(...starts)) };
}

/** The latest and recent jobs that reached an outcome (cancelled ones say nothing about health), newest first, once each. */
function finishedNewestFirst<T extends Job>(latest: T | null, recent: T[] | undefined): T[] {
  const byId = new Map<string, T>();
  for (const job of [...(latest ? [latest] : []), ...(recent ?? [])]) byId.set(job.id, job);
  return [...byId.values()].filter((job) => job.status === 'succeeded' || job.status === 'failed').sort((a, b) => runTime(b).getTime() - runTime(a).getTime());
}

const indexOrEnd = (index: number, end: number) => (index === -1 ? end : index);
const count = (n: number, noun: string) => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
