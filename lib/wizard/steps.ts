// The wizard's steps, in order: the one list that drives navigation, the progress bar, resuming and
// the e2e page object.
export const WIZARD_STEPS = [
  { id: 'source', path: '/connect/source', title: 'Connect your database', label: 'Connect' },
  { id: 'data', path: '/connect/data', title: 'Choose the data to import', label: 'Choose data' },
  { id: 'map', path: '/connect/map', title: 'Map your fields', label: 'Map fields' },
  { id: 'launch', path: '/connect/launch', title: 'Review and launch', label: 'Launch' },
] as const;

export type WizardStep = (typeof WIZARD_STEPS)[number];
export type WizardStepId = WizardStep['id'];

export function wizardStep(id: WizardStepId): WizardStep {
  return WIZARD_STEPS.find((step) => step.id === id)!;
}

/** What the provider has saved so far, as the Import API reports it. */
export interface WizardFacts {
  sources: number;
  datasets: number;
  /** Streams saved by the mapping step (disabled until launch). */
  streams: number;
  /** Streams enabled: the import was launched. */
  enabledStreams: number;
}

/**
 * Where a returning customer resumes: the first step whose work is not saved yet. A step is
 * reachable once every step before it is done, so a reload or a shared link never skips ahead of
 * the data.
 */
export type WizardProgress = {
  done: Record<WizardStepId, boolean>;
  current: WizardStepId;
  launched: boolean;
};

export function wizardProgress(facts: WizardFacts): WizardProgress {
  const done: Record<WizardStepId, boolean> = {
    source: facts.sources > 0,
    data: facts.sources > 0 && facts.datasets > 0,
    map: facts.sources > 0 && facts.datasets > 0 && facts.streams > 0,
    launch: facts.enabledStreams > 0,
  };
  const current = WIZARD_STEPS.find((step) => !done[step.id])?.id ?? 'launch';
  return { done, current, launched: done.launch };
}

export function canVisit(step: WizardStepId, progress: WizardProgress): boolean {
  const index = WIZARD_STEPS.findIndex((candidate) => candidate.id === step);
  return WIZARD_STEPS.slice(0, index).every((before) => progress.done[before.id]);
}
