// Runs the connection checklist in order: each step passes, fails with a reason, or is skipped
// after a failure.
import type { ConnectionCheck, TestSourceResult } from '../../lib/prequel/contract/source-actions';
import { type CheckName, SourceConnectError } from './source-connect-error';

export interface StepResult {
  status: 'passed' | 'skipped';
  message: string;
  /** A warning worth acting on even though the step passed. */
  hint?: string;
}

export interface ChecklistStep {
  name: CheckName;
  /** Throws a SourceConnectError to fail the step; any other error fails it as unexpected. */
  run(): Promise<StepResult>;
}

export async function runChecklist(
  steps: ChecklistStep[],
  summary: { success: string },
): Promise<TestSourceResult> {
  const checks: ConnectionCheck[] = [];
  let failed: ConnectionCheck | null = null;
  for (const step of steps) {
    if (failed) {
      checks.push({
        name: step.name,
        status: 'skipped',
        message: `Not run: the ${failed.name} check failed.`,
        duration_ms: 0,
      });
      continue;
    }
    const started = performance.now();
    const duration = () => Math.round(performance.now() - started);
    try {
      const result = await step.run();
      checks.push({
        name: step.name,
        status: result.status,
        message: result.message,
        ...(result.hint ? { hint: result.hint } : {}),
        duration_ms: duration(),
      });
    } catch (error) {
      failed = { name: step.name, status: 'failed', ...failureOf(error), duration_ms: duration() };
      checks.push(failed);
    }
  }
  if (failed) return { code: 'failure', message: failed.message, checks };
  return { code: 'success', message: summary.success, checks };
}

function failureOf(error: unknown): Pick<ConnectionCheck, 'message' | 'hint' | 'field'> {
  if (error instanceof SourceConnectError) {
    const { message, hint, field } = error.failure;
    return { message, ...(hint ? { hint } : {}), ...(field ? { field } : {}) };
  }
  return {
    message: `The check failed unexpectedly: ${(error as Error)?.message ?? String(error)}.`,
  };
}

/**
 * A backstop: no secret of the tested configuration may leave in a message, whatever a driver put
 * in its errors.
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const worth = secrets.filter((secret) => secret.length >= 4);
  if (!worth.length) return value;
  let text = JSON.stringify(value);
  for (const secret of worth)
    text = text.split(JSON.stringify(secret).slice(1, -1)).join('[redacted]');
  return JSON.parse(text) as T;
}
