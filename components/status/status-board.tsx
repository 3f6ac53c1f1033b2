'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button, buttonVariants } from '@/components/ui/button';
import { setStreamEnabled, syncNow } from '@/lib/actions/status';
import { freshness } from '@/lib/prequel/contract/health/freshness';
import { clockTime, humanDuration } from '@/lib/prequel/contract/health/human-duration';
import { runHistory } from '@/lib/prequel/contract/health/run-history';
import { actionFor, whoseMove } from '@/lib/prequel/contract/health/whose-move';
import { type Extract, isActive, type Load } from '@/lib/prequel/contract/job';
import type { DatasetStatus, ProviderStatus, StreamStatus } from '@/lib/status/load-status';
import { statusQueries } from '@/lib/status/queries';
import { waitingRecordsText } from '@/lib/status/waiting-records';
import { CancelInitialRun } from './cancel-initial-run';
import { DriftBanner } from './drift-banner';
import { RecordTracer } from './record-tracer';
import { RunChart } from './run-chart';

const JOB_BADGE: Record<Extract['status'], { tone: BadgeTone; label: string }> = {
  queued: { tone: 'neutral', label: 'Starting' },
  running: { tone: 'warning', label: 'Running' },
  succeeded: { tone: 'success', label: 'Up to date' },
  failed: { tone: 'danger', label: 'Failed' },
  cancelled: { tone: 'neutral', label: 'Cancelled' },
};

const number = (value: number) => value.toLocaleString('en');

/** "at 14:05 (12 min ago)", in the reader's time zone. */
function whenText(at: string): string {
  const now = new Date();
  const date = new Date(at);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const ago = humanDuration(now.getTime() - date.getTime());
  return `at ${clockTime(date, now, timeZone)} (${ago} ago)`;
}

function ErrorExplained({
  error,
  readOnly,
  nextRetryAt,
  saasName,
}: {
  error: NonNullable<Extract['error']>;
  readOnly: boolean;
  nextRetryAt: Date | null;
  saasName: string;
}) {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const move = whoseMove(error, { now: new Date(), nextRetryAt, saasName, timeZone });
  const action = actionFor(move.party);
  return (
    <div
      className="rounded-lg border border-danger-border bg-danger-soft p-3 text-sm"
      role="status"
    >
      <p className="font-semibold text-danger">{move.title}</p>
      <p className="mt-1">{move.fix}</p>
      <p className="mt-1 text-xs text-muted-foreground">{error.message}</p>
      {!readOnly && action === 'update_credentials' ? (
        <Link
          href="/connect/source"
          className={buttonVariants({ size: 'sm', variant: 'outline', className: 'mt-2' })}
        >
          Update credentials
        </Link>
      ) : null}
    </div>
  );
}

function DatasetCard({
  dataset,
  streams,
  readOnly,
  canCancel,
}: {
  dataset: DatasetStatus;
  streams: StreamStatus[];
  readOnly: boolean;
  canCancel: boolean;
}) {
  const queryClient = useQueryClient();
  const latest = dataset.extracts[0] ?? null;
  const lastSuccess = dataset.extracts.find((extract) => extract.status === 'succeeded') ?? null;
  const running = latest !== null && (latest.status === 'queued' || latest.status === 'running');
  const lastSuccessAt = lastSuccess?.ended_at ? new Date(lastSuccess.ended_at) : null;
  const fresh = freshness({
    lastSuccessAt,
    nextRunAt: lastSuccessAt
      ? new Date(lastSuccessAt.getTime() + dataset.frequencyMinutes * 60_000)
      : null,
    frequencyMinutes: dataset.frequencyMinutes,
    running,
    now: new Date(),
  });
  const sync = useMutation({
    mutationFn: () => syncNow({ datasetId: dataset.id }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['status'] }),
  });
  const read = latest?.progress?.rows_read ?? latest?.records_processed ?? 0;
  const estimate = latest?.progress?.estimated_rows ?? null;
  const percent = running && estimate ? Math.min(100, Math.round((read / estimate) * 100)) : null;
  return (
    <article
      aria-labelledby={`dataset-${dataset.id}`}
      className="flex flex-col gap-3 rounded-xl border bg-card p-5"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 id={`dataset-${dataset.id}`} className="font-semibold">
            {dataset.name}
          </h3>
          <p className={fresh.stale ? 'text-sm text-warning' : 'text-sm text-muted-foreground'}>
            {fresh.text}
          </p>
        </div>
        <div className="flex items-center gap-2">
          {latest ? (
            <Badge tone={JOB_BADGE[latest.status].tone}>{JOB_BADGE[latest.status].label}</Badge>
          ) : (
            <Badge>Not run yet</Badge>
          )}
          {!readOnly && canCancel && running && latest && !lastSuccess ? (
            <CancelInitialRun kind="extract" run={latest} name={`the import of ${dataset.name}`} />
          ) : null}
          {readOnly ? null : (
            <Button
              size="sm"
              variant="outline"
              disabled={running || sync.isPending}
              onClick={() => sync.mutate()}
            >
              Sync now
            </Button>
          )}
        </div>
      </div>
      {running ? (
        <div
          role="progressbar"
          aria-label={`${dataset.name}: rows read`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
          aria-valuetext={`${number(read)} rows read`}
          className="h-2 overflow-hidden rounded-full bg-muted"
        >
          <div
            className="h-full bg-primary transition-[width]"
            style={{ width: `${percent ?? 10}%` }}
          />
        </div>
      ) : null}
      {latest ? (
        <p className="text-sm tabular-nums">
          Last run: {number(latest.records_new_inserted)} new ·{' '}
          {number(latest.records_existing_updated)} updated ·{' '}
          {number(latest.records_existing_deleted)} deleted ·{' '}
          {number(latest.records_existing_unchanged)} unchanged
          {latest.records_errored ? ` · ${number(latest.records_errored)} errored` : ''}
        </p>
      ) : null}
      <DriftBanner dataset={dataset} streams={streams} readOnly={readOnly} />
      {latest?.status === 'failed' && latest.error ? (
        <ErrorExplained
          error={latest.error}
          readOnly={readOnly}
          saasName="the service"
          nextRetryAt={
            latest.ended_at
              ? new Date(new Date(latest.ended_at).getTime() + dataset.frequencyMinutes * 60_000)
              : null
          }
        />
      ) : null}
      <RunChart
        label={`Records changed per import, ${dataset.name}`}
        noun="records changed"
        points={runHistory(dataset.extracts, [], 20)}
      />
    </article>
  );
}

function StreamCard({
  stream,
  readOnly,
  canCancel,
}: {
  stream: StreamStatus;
  readOnly: boolean;
  canCancel: boolean;
}) {
  const queryClient = useQueryClient();
  const latest: Load | null = stream.loads[0] ?? null;
  const initialRunning =
    latest !== null &&
    (latest.status === 'queued' || latest.status === 'running') &&
    !stream.loads.some((load) => load.status === 'succeeded');
  const delivering = isActive(latest) ? latest : null;
  const lastDelivery = stream.loads.find((load) => !isActive(load)) ?? null;
  const toggle = useMutation({
    mutationFn: () => setStreamEnabled({ streamId: stream.id, enabled: !stream.isEnabled }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['status'] }),
  });
  return (
    <article
      aria-labelledby={`stream-${stream.id}`}
      className="flex flex-col gap-3 rounded-xl border bg-card p-5"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 id={`stream-${stream.id}`} className="font-semibold">
            Sending to {stream.destinationName}
          </h3>
          <p className="text-sm text-muted-foreground">{stream.name}</p>
        </div>
        <div className="flex items-center gap-2">
          {!stream.isEnabled ? (
            <Badge tone={stream.disabledReason ? 'danger' : 'neutral'}>
              {stream.disabledReason ? 'Stopped' : 'Paused'}
            </Badge>
          ) : latest ? (
            <Badge tone={JOB_BADGE[latest.status].tone}>
              {latest.status === 'succeeded' ? 'Delivered' : JOB_BADGE[latest.status].label}
            </Badge>
          ) : (
            <Badge>Waiting for data</Badge>
          )}
          {!readOnly && canCancel && initialRunning && latest ? (
            <CancelInitialRun
              kind="load"
              run={latest}
              name={`the delivery to ${stream.destinationName}`}
            />
          ) : null}
          {readOnly ? null : (
            <>
              <Button
                size="sm"
                variant="outline"
                disabled={toggle.isPending}
                onClick={() => toggle.mutate()}
              >
                {stream.isEnabled ? 'Pause' : 'Resume'}
              </Button>
              <Link
                href={`/connect/map?destination=${stream.destinationId}`}
                className={buttonVariants({ size: 'sm', variant: 'outline' })}
              >
                Edit mapping
              </Link>
            </>
          )}
        </div>
      </div>
      {stream.disabledReason ? (
        <p className="text-sm text-danger">{stream.disabledReason}</p>
      ) : null}
      {stream.retry ? (
        <p className="text-sm text-warning tabular-nums" role="status">
          {waitingRecordsText(
            stream.retry,
            new Date(),
            Intl.DateTimeFormat().resolvedOptions().timeZone,
          )}
        </p>
      ) : null}
      {delivering ? (
        <>
          <div
            role="progressbar"
            aria-label={`Delivery to ${stream.destinationName}`}
            aria-valuetext={`${number(delivering.records_loaded)} records delivered so far`}
            className="h-2 overflow-hidden rounded-full bg-muted"
          >
            <div className="h-full w-1/3 animate-pulse rounded-full bg-primary" />
          </div>
          <p className="text-sm tabular-nums">
            Delivering… {number(delivering.records_loaded)} records so far
          </p>
        </>
      ) : null}
      {lastDelivery?.ended_at ? (
        <p className="text-sm tabular-nums">
          Last delivery: {number(lastDelivery.records_loaded)} delivered
          {lastDelivery.records_errored ? ` · ${number(lastDelivery.records_errored)} refused` : ''}
          , {whenText(lastDelivery.ended_at)}
        </p>
      ) : null}
      {/* A load that delivered some records names what stopped the others too: the endpoint (slow,
         failing) or the mapping. */}
      {latest?.error && (latest.status === 'failed' || latest.records_errored > 0) ? (
        <ErrorExplained
          error={latest.error}
          readOnly={readOnly}
          saasName={stream.destinationName}
          nextRetryAt={stream.retry?.nextRetryAt ? new Date(stream.retry.nextRetryAt) : null}
        />
      ) : null}
      {latest && latest.status !== 'failed' && latest.records_errored > 0 && !latest.error ? (
        // A load that delivered what it could: the rest failed one record at a time, which is the
        // mapping's to fix.
        <div
          className="rounded-lg border border-warning-border bg-warning-soft p-3 text-sm"
          role="status"
        >
          <p className="font-semibold text-warning">
            {number(latest.records_errored)} record
            {latest.records_errored === 1 ? ' was' : 's were'} not sent: the mapping needs a change
          </p>
          <p className="mt-1">
            Trace one of them below to see which field fails and why, then edit the mapping.
          </p>
          {readOnly ? null : (
            <Link
              href={`/connect/map?destination=${stream.destinationId}`}
              className={buttonVariants({ size: 'sm', variant: 'outline', className: 'mt-2' })}
            >
              Fix the mapping
            </Link>
          )}
        </div>
      ) : null}
      <RunChart
        label={`Records delivered per run, to ${stream.destinationName}`}
        noun="records delivered"
        points={runHistory([], stream.loads, 20)}
      />
    </article>
  );
}

/** The customer's view of their imports, live; support sees the same board read-only. */
export function StatusBoard({
  endpoint,
  readOnly = false,
  initial,
}: {
  endpoint: string;
  readOnly?: boolean;
  initial: ProviderStatus;
}) {
  const status = useQuery({ ...statusQueries.snapshot(endpoint), initialData: initial });
  const snapshot = status.data;
  return (
    <div className="flex flex-col gap-8">
      {status.isError ? (
        <p role="alert" className="text-sm text-danger">
          {status.error.message}
        </p>
      ) : null}
      <section aria-labelledby="datasets-title" className="flex flex-col gap-4">
        <h2 id="datasets-title" className="text-base font-semibold">
          Data from your database
        </h2>
        {snapshot.datasets.length ? (
          snapshot.datasets.map((dataset) => (
            <DatasetCard
              key={dataset.id}
              dataset={dataset}
              streams={snapshot.streams}
              readOnly={readOnly}
              canCancel={snapshot.features.cancel}
            />
          ))
        ) : (
          <p className="text-sm text-muted-foreground">Nothing imported yet.</p>
        )}
      </section>
      <section aria-labelledby="streams-title" className="flex flex-col gap-4">
        <h2 id="streams-title" className="text-base font-semibold">
          Deliveries
        </h2>
        {snapshot.streams.length ? (
          snapshot.streams.map((stream) => (
            <StreamCard
              key={stream.id}
              stream={stream}
              readOnly={readOnly}
              canCancel={snapshot.features.cancel}
            />
          ))
        ) : (
          <p className="text-sm text-muted-foreground">No deliveries set up yet.</p>
        )}
      </section>
      {snapshot.datasets.length ? (
        <RecordTracer
          endpoint={endpoint}
          datasets={snapshot.datasets.map(({ id, name }) => ({ id, name }))}
        />
      ) : null}
    </div>
  );
}
