import type { Metadata } from 'next';
import Link from 'next/link';
import { ApiUnavailable } from '@/components/session/session-required';
import { StepHeader } from '@/components/wizard/step-header';
import { listDatasets } from '@/lib/prequel/datasets';
import { listSources } from '@/lib/prequel/sources';
import { listStreams } from '@/lib/prequel/streams';
import { wizardStep } from '@/lib/wizard/steps';
import { enterStep } from '@/lib/wizard/wizard-gate';
import { LaunchPanel } from './launch-panel';

export const metadata: Metadata = { title: 'Review and launch' };

const everyMinutes = (minutes: number) => (minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`);
export default async function LaunchStep() {
  const gate = await enterStep('launch');
  if (gate.kind !== 'ok') return null;
  const scope = { providerId: gate.session.providerId, pageSize: 100 };
  const [sources, datasets, streams] = await Promise.all([
    listSources(scope),
    listDatasets(scope),
    listStreams(scope),
  ]);
  for (const result of [sources, datasets, streams])
    if (!result.ok) return <ApiUnavailable error={result.error} />;
  if (!sources.ok || !datasets.ok || !streams.ok) return null;
  return (
    <section aria-labelledby="step-title" className="flex flex-col gap-8">
      <StepHeader step="launch">
        Check what will be imported. Launching sends the records now and keeps them up to date on
        schedule.
      </StepHeader>
      <dl className="grid gap-4 rounded-xl border bg-card p-5 text-sm sm:grid-cols-[12rem_1fr]">
        <dt className="font-medium">Database</dt>
        <dd>
          {sources.data.items.map((source) => source.name).join(', ')}{' '}
          <Link href={wizardStep('source').path} className="text-primary underline">
            Change
          </Link>
        </dd>
        <dt className="font-medium">Data</dt>
        <dd>
          {datasets.data.items
            .map((dataset) => `${dataset.name} (every ${everyMinutes(dataset.frequency_minutes)})`)
            .join(', ')}{' '}
          <Link href={wizardStep('data').path} className="text-primary underline">
            Change
          </Link>
        </dd>
        <dt className="font-medium">Mappings</dt>
        <dd>
          <ul>
            {streams.data.items.map((stream) => (
              <li key={stream.id}>
                {stream.name}: {stream.mappings.length} fields{' '}
                <Link
                  href={`/connect/map?destination=${stream.destination_id}`}
                  className="text-primary underline"
                >
                  Edit
                </Link>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <LaunchPanel />
    </section>
  );
}
