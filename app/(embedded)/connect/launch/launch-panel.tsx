'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { Button, buttonVariants } from '@/components/ui/button';
import { postEmbedEvent } from '@/components/wizard/embed-events';
import { useCountUp } from '@/lib/use-count-up';
import { launchState, recordCount, type LaunchState } from '@/lib/wizard/launch-state';
import { wizardQueries } from '@/lib/wizard/queries';
import { launchImport } from './actions';

const PANEL = 'flex flex-col gap-2 rounded-xl border p-5';
const SEE_WHY = 'the status page says why.';

/** What a screen reader hears: each change of state once, not every tick of the count. */
function announcement(state: LaunchState): string {
  switch (state.kind) {
    case 'ready':
      return '';
    case 'delivering':
      return 'Delivering your records.';
    case 'delivered':
      return `Delivery finished: ${recordCount(state.delivered)}.`;
    case 'stopped':
      return 'The delivery stopped.';
  }
}

/** The one state of the launch, the number counting up as records arrive. */
function LaunchProgress({ state }: { state: Exclude<LaunchState, { kind: 'ready' }> }) {
  const shown = useCountUp(state.delivered);
  if (state.kind === 'delivering')
    return (
      <div className={`${PANEL} bg-card`}>
        <p className="text-lg font-semibold tabular-nums">
          Delivering… {recordCount(shown)} so far
        </p>
        <div className="h-2 overflow-hidden rounded-full bg-muted" aria-hidden="true">
          <div className="h-full w-1/3 animate-pulse rounded-full bg-primary" />
        </div>
      </div>
    );
  if (state.kind === 'stopped')
    return (
      <div className={`${PANEL} border-danger-border bg-danger-soft`}>
        <p className="text-lg font-semibold text-danger tabular-nums">
          Delivery stopped after {recordCount(shown)}
        </p>
        <p className="text-sm">{state.message}</p>
      </div>
    );
  return (
    <div className={`${PANEL} border-success-border bg-success-soft`}>
      <p className="text-lg font-semibold text-success tabular-nums">
        Delivered {recordCount(shown)}
      </p>
      <p className="text-sm">
        {state.delivered > 0
          ? 'Your import is live: changes in your database are sent on schedule from now on.'
          : 'No records to send yet: new rows are sent on schedule as they are imported.'}
        {state.refused ? ` ${recordCount(state.refused)} could not be sent: ${SEE_WHY}` : ''}
      </p>
    </div>
  );
}

/** Launch, then watch the first loads deliver. */
export function LaunchPanel() {
  const queryClient = useQueryClient();
  const loads = useQuery(wizardQueries.loads());
  const launcher = useMutation({
    mutationFn: () => launchImport({}),
    onSuccess: async (result) => {
      if (result.ok) postEmbedEvent({ type: 'inlet:completed' });
      await queryClient.invalidateQueries({ queryKey: ['wizard', 'loads'] });
    },
  });
  const state = launchState(loads.data);
  const streams = (loads.data ?? []).filter((row) => row.isEnabled);
  return (
    <section aria-labelledby="launch-title" className="flex flex-col gap-4">
      <h2 id="launch-title" className="text-base font-semibold">
        {state.kind === 'ready' ? 'Ready to launch' : 'Your import'}
      </h2>
      <p role="status" className="sr-only">
        {announcement(state)}
      </p>
      {state.kind === 'ready' ? (
        <div>
          <Button disabled={launcher.isPending} onClick={() => launcher.mutate()}>
            {launcher.isPending ? 'Launching…' : 'Launch import'}
          </Button>
        </div>
      ) : (
        <>
          <LaunchProgress state={state} />
          {streams.length > 1 ? (
            <ul className="flex flex-col divide-y rounded-xl border bg-card text-sm">
              {streams.map((row) => (
                <li key={row.id} className="flex flex-wrap justify-between gap-3 px-4 py-3">
                  <span className="font-medium">{row.name}</span>
                  <span className="tabular-nums text-muted-foreground">
                    {recordCount(row.latestLoad?.records_loaded ?? 0)}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          <div>
            <Link
              href="/status"
              className={buttonVariants({
                variant: state.kind === 'delivering' ? 'outline' : 'primary',
              })}
            >
              Go to the status page
            </Link>
          </div>
        </>
      )}
      {launcher.data && !launcher.data.ok ? (
        <p role="alert" className="text-sm text-danger">
          {launcher.data.error.message}
        </p>
      ) : null}
    </section>
  );
}
