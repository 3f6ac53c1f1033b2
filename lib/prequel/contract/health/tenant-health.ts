// Pure: one tenant's health for the support console, judged from its latest jobs, and the order
// that puts the worst first. The engine applies the same rules in SQL
// (engine/status/provider-health.ts); both answer tenant-health-cases alike.
import type { SchemaDrift } from '../dataset';
import type { Extract, Load } from '../job';
import {
  HEALTH_SEVERITY,
  type Health,
  type HealthProblem,
  type OnboardingStep,
} from '../provider-health';
import { freshness } from './freshness';
import { ONBOARDING_REASONS, reasonOf } from './health-problems';
import { toDate } from './human-duration';
import { runTime } from './run-history';
import { passesByItself } from './whose-move';

export interface TenantHealthInput {
  sources: { id: string; name?: string; is_reachable?: boolean | null }[];
  datasets: {
    id: string;
    name?: string;
    latestExtract: Extract | null;
    /**
     * Earlier extracts, any order: they show how long a failure has lasted, and what a running job
     * hides.
     */
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
  /**
   * When the problems that decide the health began, as far as the jobs at hand tell; null when
   * unknown.
   */
  brokenSince: Date | null;
  /** Why, worst first, one sentence each. */
  reasons: string[];
}

type Job = Extract | Load;
type ObjectRef = { id: string; name: string | null };
type Failure = { level: 'failing' | 'degraded'; since: string; error: Job['error']; runs: number };

export function tenantHealth(input: TenantHealthInput): TenantHealth {
  const step = onboardingStep(input);
  if (step)
    return {
      health: 'onboarding_incomplete',
      severity: HEALTH_SEVERITY.onboarding_incomplete,
      brokenSince: null,
      reasons: [ONBOARDING_REASONS[step]],
    };

  const problems = tenantProblems(input);
  const health: Health = problems.some((problem) => problem.level === 'failing')
    ? 'failing'
    : problems.length
      ? 'degraded'
      : 'healthy';
  const deciding = problems.filter((problem) => problem.level === health);
  const starts = deciding.flatMap((problem) => (problem.since ? [Date.parse(problem.since)] : []));
  const ordered = [...deciding, ...problems.filter((problem) => problem.level !== health)];
  return {
    health,
    severity: HEALTH_SEVERITY[health],
    brokenSince: starts.length ? new Date(Math.min(...starts)) : null,
    reasons: ordered.map((problem) => reasonOf(problem, input)),
  };
}

/**
 * Sorts tenants worst first, and within a severity the one broken longest first (unknown starts
 * last).
 */
export function compareTenants(
  a: Pick<TenantHealth, 'severity' | 'brokenSince'>,
  b: Pick<TenantHealth, 'severity' | 'brokenSince'>,
): number {
  if (a.severity !== b.severity) return b.severity - a.severity;
  const since = (health: Pick<TenantHealth, 'brokenSince'>) =>
    health.brokenSince?.getTime() ?? Number.POSITIVE_INFINITY;
  const difference = since(a) - since(b);
  return Number.isNaN(difference) ? 0 : difference;
}

/**
 * The first wizard step the tenant has not done; a stream counts once launched (enabled, stopped by
 * the engine, or ever loaded).
 */
function onboardingStep({ sources, datasets, streams }: TenantHealthInput): OnboardingStep | null {
  if (!sources.length) return 'connect_source';
  if (!datasets.length) return 'choose_data';
  if (!streams.length) return 'save_mapping';
  const launched = streams.some(
    (stream) =>
      stream.is_enabled ||
      stream.disabled_reason ||
      stream.latestLoad ||
      stream.recentLoads?.length,
  );
  return launched ? null : 'launch';
}

/**
 * What is wrong with a launched tenant, in the order the reasons list it: sources, datasets,
 * streams.
 */
function tenantProblems(input: TenantHealthInput): HealthProblem[] {
  return [
    ...input.sources.flatMap(sourceProblems),
    ...input.datasets.flatMap((dataset) => datasetProblems(dataset, input.now)),
    ...streamProblems(input.streams),
  ];
}

const refOf = (object: { id: string; name?: string }): ObjectRef => ({
  id: object.id,
  name: object.name ?? null,
});
const iso = (date: Date | null) => (date ? date.toISOString() : null);

function sourceProblems(source: TenantHealthInput['sources'][number]): HealthProblem[] {
  // The flag only records the last connection test: a later extract that fails says more, so this
  // alone only degrades.
  return source.is_reachable === false
    ? [{ kind: 'source_unreachable', level: 'degraded', since: null, object: refOf(source) }]
    : [];
}

function datasetProblems(
  dataset: TenantHealthInput['datasets'][number],
  now: Date,
): HealthProblem[] {
  const object = refOf(dataset);
  const finished = finishedNewestFirst(dataset.latestExtract, dataset.recentExtracts);
  const failure = failureOf(finished);
  if (failure) return [{ kind: 'extract_failed', object, ...failure }];
  // A mapped column gone stops the deliveries that read it; one retyped may only refuse some
  // records.
  const problems: HealthProblem[] = (dataset.schemaDrift?.columns ?? []).map((column) => ({
    kind: 'mapped_column_changed',
    level: column.change === 'removed' ? 'failing' : 'degraded',
    since: null,
    object,
    column: column.name,
    change: column.change,
    previous_type: column.previous_type,
    current_type: column.current_type,
  }));
  const last = finished[0];
  if (last && last.records_errored > 0) {
    problems.push({
      kind: 'rows_errored',
      level: 'degraded',
      since: iso(runTime(last)),
      object,
      count: last.records_errored,
    });
  }
  const lastSuccessAt = toDate(dataset.lastSuccessAt) ?? (last ? runTime(last) : null);
  const fresh = freshness({
    lastSuccessAt,
    nextRunAt: null,
    frequencyMinutes: dataset.frequencyMinutes,
    running: false,
    now,
  });
  if (fresh.stale && lastSuccessAt) {
    problems.push({
      kind: 'data_stale',
      level: 'degraded',
      // Stale from the moment it missed its second refresh.
      since: iso(new Date(lastSuccessAt.getTime() + 2 * dataset.frequencyMinutes * 60_000)),
      object,
      last_success_at: lastSuccessAt.toISOString(),
      frequency_minutes: dataset.frequencyMinutes,
    });
  }
  return problems;
}

function streamProblems(streams: TenantHealthInput['streams']): HealthProblem[] {
  const problems: HealthProblem[] = [];
  let delivering = 0;
  for (const stream of streams) {
    const object = refOf(stream);
    const finished = finishedNewestFirst(stream.latestLoad, stream.recentLoads);
    if (stream.disabled_reason) {
      const lastFailure = finished.find((load) => load.status === 'failed');
      const since = toDate(stream.disabled_at) ?? (lastFailure ? runTime(lastFailure) : null);
      problems.push({
        kind: 'stream_stopped',
        level: 'failing',
        since: iso(since),
        object,
        disabled_reason: stream.disabled_reason,
      });
      continue;
    }
    if (!stream.is_enabled) continue;
    delivering++;
    const failure = failureOf(finished);
    const newest = finished[0];
    if (failure) problems.push({ kind: 'load_failed', object, ...failure });
    else if (newest && newest.records_errored > 0) {
      problems.push({
        kind: 'records_errored',
        level: 'degraded',
        since: iso(runTime(newest)),
        object,
        count: newest.records_errored,
        error: newest.error,
      });
    }
  }
  const stopped = streams.some((stream) => stream.disabled_reason);
  // Paused on purpose, but nothing reaches the SaaS: worth a look, not an alarm.
  if (!delivering && !stopped)
    problems.push({ kind: 'every_stream_paused', level: 'degraded', since: null });
  return problems;
}

/**
 * A failure streak ending with the newest finished job: failing unless it is one that passes by
 * itself.
 */
function failureOf(finished: Job[]): Failure | null {
  const newest = finished[0];
  if (newest?.status !== 'failed') return null;
  const streak = finished.slice(
    0,
    indexOrEnd(
      finished.findIndex((job) => job.status === 'succeeded'),
      finished.length,
    ),
  );
  const starts = streak.map((job) => runTime(job).getTime());
  return {
    level: passesByItself(newest.error) ? 'degraded' : 'failing',
    since: new Date(Math.min(...starts)).toISOString(),
    error: newest.error,
    runs: streak.length,
  };
}

/**
 * The latest and recent jobs that reached an outcome (cancelled ones say nothing about health),
 * newest first, once each.
 */
function finishedNewestFirst<T extends Job>(latest: T | null, recent: T[] | undefined): T[] {
  const byId = new Map<string, T>();
  for (const job of [...(latest ? [latest] : []), ...(recent ?? [])]) byId.set(job.id, job);
  return [...byId.values()]
    .filter((job) => job.status === 'succeeded' || job.status === 'failed')
    .sort((a, b) => runTime(b).getTime() - runTime(a).getTime());
}

const indexOrEnd = (index: number, end: number) => (index === -1 ? end : index);
