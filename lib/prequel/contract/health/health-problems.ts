// Pure: a tenant's health problems in support's words, whether the engine's summaries or the app's
// own rules found them.
import type { HealthProblem, OnboardingStep, ProviderHealth } from '../provider-health';
import { humanDuration, toDate } from './human-duration';
import type { TenantHealth } from './tenant-health';
import { whoseMove } from './whose-move';

export const ONBOARDING_REASONS: Record<OnboardingStep, string> = {
  connect_source: 'No database connected yet',
  choose_data: 'No data chosen yet',
  save_mapping: 'No mapping saved yet',
  launch: 'Not launched yet',
};

export interface ReasonContext {
  now: Date;
  /** Names the SaaS in the reasons ("Acme's endpoint is failing"). */
  saasName?: string;
}

const count = (n: number, noun: string) => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
const labelOf = (
  kind: 'Source' | 'Dataset' | 'Stream',
  object: { id: string; name: string | null },
) => `${kind} ${object.name ?? object.id}`;

/** One sentence per problem, as the console lists them. */
export function reasonOf(problem: HealthProblem, { now, saasName }: ReasonContext): string {
  switch (problem.kind) {
    case 'source_unreachable':
      return `${labelOf('Source', problem.object)} failed its last connection test`;
    case 'extract_failed':
    case 'load_failed': {
      const runs = problem.runs > 1 ? ` (${problem.runs} runs in a row)` : '';
      const label = labelOf(
        problem.kind === 'extract_failed' ? 'Dataset' : 'Stream',
        problem.object,
      );
      return `${label}: ${whoseMove(problem.error, { now, saasName }).title}${runs}`;
    }
    case 'mapped_column_changed': {
      const what =
        problem.change === 'removed'
          ? 'is gone'
          : `changed type (${problem.previous_type} → ${problem.current_type})`;
      return (
        `${labelOf('Dataset', problem.object)}: the mapping needs a change: column ` +
        `"${problem.column}" ${what}`
      );
    }
    case 'rows_errored':
      return (
        `${labelOf('Dataset', problem.object)}: ${count(problem.count, 'row')} could not be ` +
        `read`
      );
    case 'data_stale': {
      const age = humanDuration(now.getTime() - new Date(problem.last_success_at).getTime());
      return (
        `${labelOf('Dataset', problem.object)}: data is ${age} old (refreshed every ` +
        `${humanDuration(problem.frequency_minutes * 60_000)})`
      );
    }
    case 'stream_stopped':
      return `${labelOf('Stream', problem.object)} was stopped: ${problem.disabled_reason}`;
    case 'records_errored': {
      // As the customer's board says it: the load's error when the destination stopped them, else
      // the mapping did.
      const why = problem.error
        ? whoseMove(problem.error, { now, saasName }).title
        : 'the mapping needs a change';
      return (
        `${labelOf('Stream', problem.object)}: ${count(problem.count, 'record')} not ` +
        `delivered: ${why}`
      );
    }
    case 'every_stream_paused':
      return 'Every stream is paused';
  }
}

/**
 * A tenant's health as the engine summarised it (GET /import/status/providers), in the console's
 * terms.
 */
export function healthOfSummary(
  summary: Pick<
    ProviderHealth,
    'health' | 'severity' | 'broken_since' | 'onboarding_step' | 'problems'
  >,
  context: ReasonContext,
): TenantHealth {
  return {
    health: summary.health,
    severity: summary.severity,
    brokenSince: toDate(summary.broken_since),
    reasons: summary.onboarding_step
      ? [ONBOARDING_REASONS[summary.onboarding_step]]
      : summary.problems.map((problem) => reasonOf(problem, context)),
  };
}
