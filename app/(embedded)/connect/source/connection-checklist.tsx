import type { ConnectionCheck } from '@/lib/prequel/contract/source-actions';
import { cn } from '@/lib/utils';

const CHECK_LABELS: Record<ConnectionCheck['name'], string> = {
  dns: 'Find the server',
  tcp: 'Reach the port',
  tls: 'Secure the connection',
  auth: 'Sign in',
  privileges: 'Read the tables',
};

const STATUS_TEXT = { passed: 'passed', failed: 'failed', skipped: 'not run' } as const;

/** The connection test, step by step: what passed, what failed and what to do about it. */
export function ConnectionChecklist({
  checks,
  message,
  passed,
}: {
  checks: ConnectionCheck[];
  message: string;
  passed: boolean;
}) {
  return (
    <section aria-labelledby="connection-test-title" className="rounded-xl border bg-card p-5">
      <h2
        id="connection-test-title"
        className={cn('text-sm font-semibold', passed ? 'text-success' : 'text-danger')}
      >
        {passed ? 'Connection works' : 'Connection failed'}
      </h2>
      <p className="mt-1 text-sm text-muted-foreground">{message}</p>
      {checks.length ? (
        <ol className="mt-4 flex flex-col gap-3">
          {checks.map((check) => (
            <li key={check.name} className="flex gap-3 text-sm">
              <span
                aria-hidden="true"
                className={cn(
                  'mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full text-xs',
                  check.status === 'passed' && 'bg-success-soft text-success',
                  check.status === 'failed' && 'bg-danger-soft text-danger',
                  check.status === 'skipped' && 'bg-muted text-muted-foreground',
                )}
              >
                {check.status === 'passed' ? '✓' : check.status === 'failed' ? '✕' : '–'}
              </span>
              <div>
                <p className="font-medium">
                  {CHECK_LABELS[check.name]}:{' '}
                  <span className="font-normal">{STATUS_TEXT[check.status]}</span>
                  {check.status !== 'skipped' ? (
                    <span className="text-muted-foreground">
                      {' '}
                      · {Math.max(1, Math.round(check.duration_ms))} ms
                    </span>
                  ) : null}
                </p>
                {check.status === 'failed' ? (
                  <>
                    <p className="mt-0.5">{check.message}</p>
                    {check.hint ? (
                      <p className="mt-0.5 text-muted-foreground">{check.hint}</p>
                    ) : null}
                  </>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
