import { describe, expect, test } from 'vitest';
import { canVisit, WIZARD_STEPS, wizardProgress } from './steps';

const facts = { sources: 0, datasets: 0, streams: 0, enabledStreams: 0 };

describe('the wizard resumes', () => {
  test('at the first step whose work is not saved', () => {
    expect(wizardProgress(facts).current).toBe('source');
    expect(wizardProgress({ ...facts, sources: 1 }).current).toBe('data');
    expect(wizardProgress({ ...facts, sources: 1, datasets: 2 }).current).toBe('map');
    expect(wizardProgress({ ...facts, sources: 1, datasets: 2, streams: 1 }).current).toBe(
      'launch',
    );
    expect(
      wizardProgress({ sources: 1, datasets: 2, streams: 1, enabledStreams: 1 }),
    ).toMatchObject({ current: 'launch', launched: true });
  });

  test('never lets a link skip past a step that is not done', () => {
    const progress = wizardProgress({ ...facts, sources: 1 });
    expect(WIZARD_STEPS.map((step) => canVisit(step.id, progress))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    // Datasets without a source (deleted since) do not count.
    expect(wizardProgress({ ...facts, datasets: 3, streams: 1 }).current).toBe('source');
  });
});
