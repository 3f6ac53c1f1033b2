// Every wizard page starts here: who is calling, what they have saved, and whether this step is
// theirs to see yet.
import 'server-only';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import type { PrequelError } from '@/lib/prequel/client';
import { getSession, isCustomerSession, type CustomerSession } from '@/lib/session/session';
import { loadWizardProgress } from './load-progress';
import {
  canVisit,
  wizardStep,
  type WizardProgress,
  type WizardStepId,
  WIZARD_STEPS,
} from './steps';

/** One read per request, shared by the layout and the page. */
const progressOf = cache((session: CustomerSession) => loadWizardProgress(session));

export type WizardGate =
  | { kind: 'no_session' }
  | { kind: 'api_error'; error: PrequelError }
  | { kind: 'ok'; session: CustomerSession; progress: WizardProgress };

export const readWizardGate = cache(async (): Promise<WizardGate> => {
  const session = await getSession();
  if (!isCustomerSession(session)) return { kind: 'no_session' };
  const progress = await progressOf(session);
  if (!progress.ok) return { kind: 'api_error', error: progress.error };
  return { kind: 'ok', session, progress: progress.data };
});

/** Which steps a session may open: a credentials-only link opens the source step alone. */
export function reachableSteps(gate: WizardGate & { kind: 'ok' }): Record<WizardStepId, boolean> {
  return Object.fromEntries(
    WIZARD_STEPS.map((step) => [
      step.id,
      gate.session.scope === 'credentials'
        ? step.id === 'source'
        : canVisit(step.id, gate.progress),
    ]),
  ) as Record<WizardStepId, boolean>;
}

/** For a step page: the gate, or a redirect to the step the customer should be on. */
export async function enterStep(step: WizardStepId): Promise<WizardGate> {
  const gate = await readWizardGate();
  if (gate.kind !== 'ok') return gate;
  if (!reachableSteps(gate)[step])
    redirect(
      wizardStep(gate.session.scope === 'credentials' ? 'source' : gate.progress.current).path,
    );
  return gate;
}
