'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClassName } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import type { RecordLineage } from '@/lib/prequel/contract/records';
import { statusQueries } from '@/lib/status/queries';
import { cn } from '@/lib/utils';

type Stage = {
  key: 'extract' | 'transform' | 'validate_schema' | 'load';
  label: string;
  at: (lineage: RecordLineage) => string | null | undefined;
};

const STAGES: Stage[] = [
  { key: 'extract', label: 'Extracted', at: (lineage) => lineage.extract?.last_extracted_at },
  {
    key: 'transform',
    label: 'Transformed',
    at: (lineage) => lineage.transform?.last_transformed_at,
  },
  {
    key: 'validate_schema',
    label: 'Validated',
    at: (lineage) => lineage.validate_schema?.last_validated_at,
  },
  { key: 'load', label: 'Delivered', at: (lineage) => lineage.load?.last_loaded_at },
];

function StageRow({ stage, lineage }: { stage: Stage; lineage: RecordLineage }) {
  const value = lineage[stage.key];
  const error = value?.error ?? null;
  const reached = value !== null && value !== undefined && !error && !!stage.at(lineage);
  const state = error ? 'stopped' : reached ? 'reached' : 'not reached';
  const data = value && 'data' in value ? value.data : undefined;
  return (
    <li className="flex gap-3">
      <span
        aria-hidden="true"
        className={cn(
          'mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full text-xs',
          error
            ? 'bg-danger-soft text-danger'
            : reached
              ? 'bg-success-soft text-success'
              : 'bg-muted text-muted-foreground',
        )}
      >
        {error ? '✕' : reached ? '✓' : '·'}
      </span>
      <div className="min-w-0 flex-1 text-sm">
        <p className="font-medium">
          {stage.label}: <span className="font-normal">{state}</span>
          {reached ? (
            <span className="text-muted-foreground">
              {' '}
              · {new Date(stage.at(lineage)!).toLocaleString('en')}
            </span>
          ) : null}
          {stage.key === 'load' && lineage.load?.redelivery ? (
            <span className="text-muted-foreground">
              {' '}
              · sent again (a redelivery of every record)
            </span>
          ) : null}
        </p>
        {error ? <p className="text-danger">{error.error_trace || error.error_code}</p> : null}
        {data !== undefined && data !== null ? (
          <details>
            <summary className="cursor-pointer text-xs text-muted-foreground">
              Show the record at this stage
            </summary>
            <pre className="mt-1 overflow-x-auto rounded bg-muted p-2 text-xs">
              {JSON.stringify(data, null, 2)}
            </pre>
          </details>
        ) : null}
      </div>
    </li>
  );
}

/**
 * Paste a primary key, see the record at each stage of the pipeline, or where and why it stopped.
 */
export function RecordTracer({
  datasets,
  endpoint,
}: {
  datasets: { id: string; name: string }[];
  endpoint: string;
}) {
  const [datasetId, setDatasetId] = useState(datasets[0]?.id ?? '');
  const [key, setKey] = useState('');
  const [asked, setAsked] = useState<{ datasetId: string; key: string } | null>(null);
  const trace = useQuery({
    ...statusQueries.trace(endpoint, asked?.datasetId ?? '', asked?.key ?? ''),
    enabled: asked !== null,
  });
  return (
    <section
      aria-labelledby="tracer-title"
      className="flex flex-col gap-4 rounded-xl border bg-card p-5"
    >
      <h2 id="tracer-title" className="text-base font-semibold">
        Trace a record
      </h2>
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (key.trim()) setAsked({ datasetId, key: key.trim() });
        }}
      >
        <div className="flex flex-col gap-1.5">
          <label htmlFor="trace-dataset" className="text-sm font-medium">
            Data
          </label>
          <Select
            id="trace-dataset"
            value={datasetId}
            onChange={(event) => setDatasetId(event.target.value)}
            options={datasets.map((dataset) => ({ value: dataset.id, label: dataset.name }))}
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor="trace-key" className="text-sm font-medium">
            Primary key
          </label>
          <input
            id="trace-key"
            className={inputClassName}
            value={key}
            onChange={(event) => setKey(event.target.value)}
            placeholder="42"
          />
        </div>
        <Button type="submit" variant="outline" disabled={!key.trim() || !datasetId}>
          Trace
        </Button>
      </form>
      <div aria-live="polite">
        {trace.isFetching ? <p className="text-sm text-muted-foreground">Looking…</p> : null}
        {trace.isError ? <p className="text-sm text-danger">{trace.error.message}</p> : null}
        {trace.data ? (
          <ol className="flex flex-col gap-3" aria-label={`Record ${trace.data.record_id}`}>
            {STAGES.map((stage) => (
              <StageRow key={stage.key} stage={stage} lineage={trace.data} />
            ))}
          </ol>
        ) : null}
      </div>
    </section>
  );
}
