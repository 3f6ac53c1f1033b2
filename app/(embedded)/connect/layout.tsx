import type { ReactNode } from 'react';
import { ApiUnavailable, SessionRequired } from '@/components/session/session-required';
import { EmbedEvents } from '@/components/wizard/embed-events';
import { WizardStepper } from '@/components/wizard/wizard-stepper';
import { getSessionEnv } from '@/lib/env';
import { reachableSteps, readWizardGate } from '@/lib/wizard/wizard-gate';

export default async function WizardLayout({ children }: { children: ReactNode }) {
  const gate = await readWizardGate();
  if (gate.kind === 'no_session') return <SessionRequired />;
  if (gate.kind === 'api_error') return <ApiUnavailable error={gate.error} />;
  const env = getSessionEnv();
  return (
    <div className="mx-auto flex w-full max-w-4xl flex-col gap-8 px-5 py-8 sm:px-8">
      <WizardStepper done={gate.progress.done} reachable={reachableSteps(gate)} />
      {children}
      <EmbedEvents origins={env.ok ? env.data.INLET_EMBED_ORIGINS : []} />
    </div>
  );
}
