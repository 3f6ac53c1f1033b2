import type { Metadata } from 'next';
import Link from 'next/link';
import { ApiUnavailable } from '@/components/session/session-required';
import { StepHeader } from '@/components/wizard/step-header';
import { listDatasets } from '@/lib/prequel/datasets';
import { listDestinations } from '@/lib/prequel/destinations';
import { fetchAllPages } from '@/lib/prequel/pagination';
import { listStreams } from '@/lib/prequel/streams';
import { availableDestinationIds } from '@/lib/session/ownership';
import { cn } from '@/lib/utils';
import { loadMappingContext } from '@/lib/wizard/mapping-context';
import { wizardStep } from '@/lib/wizard/steps';
import { enterStep } from '@/lib/wizard/wizard-gate';
import { DatasetPicker } from './dataset-picker';
import { MappingEditor } from './mapping-editor';

export const metadata: Metadata = { title: 'Map fields' };

export default async function MapStep({
  searchParams,
}: {
  searchParams: Promise<{ destination?: string; dataset?: string }>;
}) {
  const gate = await enterStep('map');
  if (gate.kind !== 'ok') return null;
  const params = await searchParams;
  const scope = { providerId: gate.session.providerId, pageSize: 100 };
  const [available, destinations, datasets, streams] = await Promise.all([
    availableDestinationIds(gate.session),
    fetchAllPages((cursor) => listDestinations({ cursor, pageSize: 100 }), { maxPages: 10 }),
    listDatasets(scope),
    listStreams(scope),
  ]);
  for (const result of [available, destinations, datasets, streams])
    if (!result.ok) return <ApiUnavailable error={result.error} />;
  if (!available.ok || !destinations.ok || !datasets.ok || !streams.ok) return null;

  const offered = destinations.data.items.filter(
    (destination) => available.data === 'all' || available.data.has(destination.id),
  );
  if (!offered.length) {
    return (
      <p className="text-muted-foreground">
        There is nothing to map yet: the service you are importing into has not set up where records
        go. Tell them, and come back.
      </p>
    );
  }
  const destination =
    offered.find((candidate) => candidate.id === params.destination) ?? offered[0]!;
  const stream =
    streams.data.items.find((candidate) => candidate.destination_id === destination.id) ?? null;
  const dataset =
    datasets.data.items.find((candidate) => candidate.id === params.dataset) ??
    datasets.data.items.find((candidate) => candidate.id === stream?.dataset_id) ??
    datasets.data.items[0]!;
  const context = await loadMappingContext(
    destination,
    dataset,
    stream?.dataset_id === dataset.id ? stream : null,
  );
  if (!context.ok) return <ApiUnavailable error={context.error} />;

  const mapped = new Set(streams.data.items.map((candidate) => candidate.destination_id));
  const nextUnmapped = offered.find(
    (candidate) => candidate.id !== destination.id && !mapped.has(candidate.id),
  );
  const nextPath = nextUnmapped
    ? `/connect/map?destination=${nextUnmapped.id}`
    : wizardStep('launch').path;

  return (
    <section aria-labelledby="step-title" className="flex flex-col gap-6">
      <StepHeader step="map">
        Tell us which of your columns fill each field. We suggest a column where we can and say why;
        the preview shows the records exactly as they will be sent, and marks anything that would be
        refused.
      </StepHeader>
      {offered.length > 1 ? (
        <nav aria-label="Record types">
          <ul className="flex flex-wrap gap-2 text-sm">
            {offered.map((candidate) => (
              <li key={candidate.id}>
                <Link
                  href={`/connect/map?destination=${candidate.id}`}
                  aria-current={candidate.id === destination.id ? 'page' : undefined}
                  className={cn(
                    'rounded-full border px-3 py-1',
                    candidate.id === destination.id
                      ? 'border-primary font-semibold'
                      : 'text-muted-foreground',
                  )}
                >
                  {candidate.name}
                  {mapped.has(candidate.id) ? <span className="sr-only"> (mapped)</span> : null}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <h2 className="text-lg font-semibold">{destination.name}</h2>
      <DatasetPicker
        destinationId={destination.id}
        datasets={datasets.data.items.map(({ id, name }) => ({ id, name }))}
        selected={dataset.id}
      />
      <MappingEditor
        key={`${destination.id}:${dataset.id}`}
        destination={{ id: destination.id, name: destination.name }}
        datasetId={dataset.id}
        context={context.data}
        nextPath={nextPath}
      />
    </section>
  );
}
