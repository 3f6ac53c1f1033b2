'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { WIZARD_STEPS, type WizardStepId } from '@/lib/wizard/steps';
import { cn } from '@/lib/utils';

/**
 * The steps, where the customer is, and which are done; a step is a link once the ones before it
 * are done.
 */
export function WizardStepper({
  done,
  reachable,
}: {
  done: Record<WizardStepId, boolean>;
  reachable: Record<WizardStepId, boolean>;
}) {
  const pathname = usePathname();
  return (
    <nav aria-label="Import setup steps">
      <ol className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
        {WIZARD_STEPS.map((step, index) => {
          const current = pathname === step.path;
          const content = (
            <>
              <span
                aria-hidden="true"
                className={cn(
                  'flex size-6 items-center justify-center rounded-full border text-xs ' +
                    'font-semibold tabular-nums',
                  current && 'border-primary bg-primary text-primary-foreground',
                  !current && done[step.id] && 'border-success-border bg-success-soft text-success',
                )}
              >
                {done[step.id] && !current ? '✓' : index + 1}
              </span>
              <span className={cn(current ? 'font-semibold' : 'text-muted-foreground')}>
                {step.label}
                {done[step.id] ? <span className="sr-only"> (done)</span> : null}
              </span>
            </>
          );
          return (
            <li key={step.id}>
              {reachable[step.id] && !current ? (
                <Link
                  href={step.path}
                  className="flex items-center gap-2 rounded-md hover:underline"
                >
                  {content}
                </Link>
              ) : (
                <span
                  className="flex items-center gap-2"
                  aria-current={current ? 'step' : undefined}
                >
                  {content}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
