import { redirect } from 'next/navigation';
import { wizardStep } from '@/lib/wizard/steps';
import { readWizardGate } from '@/lib/wizard/wizard-gate';

// The wizard's front door: resume at the first step whose work is not saved.
export default async function WizardResume() {
  const gate = await readWizardGate();
  // The layout explains a missing session or an unavailable API.
  if (gate.kind !== 'ok') return null;
  redirect(
    wizardStep(gate.session.scope === 'credentials' ? 'source' : gate.progress.current).path,
  );
}
