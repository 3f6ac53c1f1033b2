// Reads what a provider has saved so far, to resume the wizard at the right step.
import 'server-only';
import { listDatasets } from '@/lib/prequel/datasets';
import type { PrequelResult } from '@/lib/prequel/client';
import { listSources } from '@/lib/prequel/sources';
import { listStreams } from '@/lib/prequel/streams';
import type { CustomerSession } from '@/lib/session/session';
import { type WizardProgress, wizardProgress } from './steps';

export async function loadWizardProgress(
  session: CustomerSession,
): Promise<PrequelResult<WizardProgress>> {
  const scope = { providerId: session.providerId, pageSize: 100 };
  const [sources, datasets, streams] = await Promise.all([
    listSources(scope),
    listDatasets(scope),
    listStreams(scope),
  ]);
  if (!sources.ok) return sources;
  if (!datasets.ok) return datasets;
  if (!streams.ok) return streams;
  return {
    ok: true,
    data: wizardProgress({
      sources: sources.data.items.length,
      datasets: datasets.data.items.length,
      streams: streams.data.items.length,
      enabledStreams: streams.data.items.filter((stream) => stream.is_enabled).length,
    }),
  };
}
