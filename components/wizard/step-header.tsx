import type { ReactNode } from 'react';
import { type WizardStepId, wizardStep } from '@/lib/wizard/steps';

/**
 * A step's title (the page's h1, which labels its section as `step-title`) and what the step is
 * for.
 */
export function StepHeader({ step, children }: { step: WizardStepId; children: ReactNode }) {
  return (
    <div>
      <h1 id="step-title" className="text-2xl font-semibold tracking-tight">
        {wizardStep(step).title}
      </h1>
      <p className="mt-2 max-w-2xl leading-7 text-muted-foreground">{children}</p>
    </div>
  );
}
