'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { buttonVariants } from '@/components/ui/button';
import { type Extract, isActive } from '@/lib/prequel/contract/job';
import { type DatasetRow, wizardQueries } from '@/lib/wizard/queries';

const STATUS: Record<Extract['status'], { tone: BadgeTone; label: string }> = {
  queued: { tone: 'neutral', label: 'Waiting to start' },
  running: { tone: 'warning', label: 'Importing' },
  succeeded: { tone: 'success', label: 'Imported' },
  failed: { tone: 'danger', label: 'Failed' },
  cancelled: { tone: 'neutral', label: 'Cancelled' },
};

const WHOSE_MOVE: Record<string, string> = {
  source: 'Your database needs attention',
  configuration: 'The setup needs a change',
  destination: 'The receiving service needs attention',
  engine: 'A temporary problem on our side; it will retry',
};

function ExtractState({ extract }: { extract: Extract | null }) {
  if (!extract) return <Badge>Not started</Badge>;
  const status = STATUS[extract.status];
  const read = extract.progress?.rows_read ?? extract.records_processed;
  const estimate = extract.progress?.estimated_rows ?? null;
  const percent =
    estimate && estimate > 0 ? Math.min(100, Math.round((read / estimate) * 100)) : null;
  return (
    <div className="flex flex-col gap-2">
      <Badge tone={status.tone}>{status.label}</Badge>
      {isActive(extract) ? (
        <div className="flex items-center gap-3">
          <div
            role="progressbar"
            aria-label="Rows read"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent ?? undefined}
            aria-valuetext={percent === null ? `${read} rows read` : `${percent}% (${read} rows)`}
            className="h-2 w-48 overflow-hidden rounded-full bg-muted"
          >
            <div
              className="h-full bg-primary transition-[width]"
              style={{ width: `${percent ?? 10}%` }}
            />
          </div>
          <span className="text-xs tabular-nums text-muted-foreground">
            {read.toLocaleString('en')} rows
          </span>
        </div>
      ) : null}
      {extract.status === 'succeeded' ? (
        <p className="text-xs text-muted-foreground">
          {extract.records_new_inserted.toLocaleString('en')} new ·{' '}
          {extract.records_existing_updated.toLocaleString('en')} updated ·{' '}
          {extract.records_existing_deleted.toLocaleString('en')} deleted
          {extract.records_errored
            ? ` · ${extract.records_errored.toLocaleString('en')} errored`
            : ''}
        </p>
      ) : null}
      {extract.status === 'failed' && extract.error ? (
        <div className="text-sm">
          <p className="font-medium text-danger">
            {WHOSE_MOVE[extract.error.blame] ?? extract.error.title}
          </p>
          <p>{extract.error.message}</p>
        </div>
      ) : null}
    </div>
  );
}

/** What is being imported, live; the next step opens once something is. */
export function DatasetProgress({ nextPath }: { nextPath: string }) {
  const datasets = useQuery(wizardQueries.datasets());
  const rows: DatasetRow[] = datasets.data ?? [];
  return (
    <section aria-labelledby="imports-title" className="flex flex-col gap-4">
      <h2 id="imports-title" className="text-base font-semibold">
        Your imports
      </h2>
      {rows.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          {datasets.isPending ? 'Loading…' : 'Nothing yet: choose tables below, or write a query.'}
        </p>
      ) : (
        <ul className="flex flex-col divide-y rounded-xl border bg-card">
          {rows.map((row) => (
            <li key={row.id} className="flex flex-wrap items-start justify-between gap-3 px-4 py-3">
              <div>
                <p className="font-medium">{row.name}</p>
                <p className="text-xs text-muted-foreground">
                  {row.type === 'fact' ? 'Events' : 'Records'} · every{' '}
                  {row.frequencyMinutes >= 60
                    ? `${row.frequencyMinutes / 60} h`
                    : `${row.frequencyMinutes} min`}
                </p>
              </div>
              <ExtractState extract={row.latestExtract} />
            </li>
          ))}
        </ul>
      )}
      {rows.length ? (
        <div>
          <Link href={nextPath} className={buttonVariants()}>
            Continue to mapping
          </Link>
        </div>
      ) : null}
    </section>
  );
}
