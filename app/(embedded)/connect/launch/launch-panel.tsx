'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button, buttonVariants } from '@/components/ui/button';
import { postEmbedEvent } from '@/components/wizard/embed-events';
import type { Load } from '@/lib/prequel/contract/job';
import { wizardQueries } from '@/lib/wizard/queries';
import { launchImport } from './actions';

const STATUS: Record<Load['status'], { tone: BadgeTone; label: string }> = {
  queued: { tone: 'neutral', label: 'Waiting to start' },
  running: { tone: 'warning', label: 'Sending' },
  succeeded: { tone: 'success', label: 'Delivered' },
  failed: { tone: 'danger', label: 'Failed' },
  cancelled: { tone: 'neutral', label: 'Cancelled' },
};

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
  const launched = loads.data?.some((row) => row.isEnabled) ?? false;
  return (
    <section aria-labelledby="launch-title" className="flex flex-col gap-4">
      <h2 id="launch-title" className="text-base font-semibold">
        {launched ? 'Your import is running' : 'Ready to launch'}
      </h2>
      {launched ? (
        <ul className="flex flex-col divide-y rounded-xl border bg-card">
          {(loads.data ?? []).map((row) => (
            <li
              key={row.id}
              className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm"
            >
              <span className="font-medium">{row.name}</span>
              {row.latestLoad ? (
                <span className="flex items-center gap-3">
                  <Badge tone={STATUS[row.latestLoad.status].tone}>
                    {STATUS[row.latestLoad.status].label}
                  </Badge>
                  <span className="tabular-nums text-muted-foreground">
                    {row.latestLoad.records_loaded.toLocaleString('en')} delivered
                    {row.latestLoad.records_errored
                      ? ` · ${row.latestLoad.records_errored.toLocaleString('en')} refused`
                      : ''}
                  </span>
                </span>
              ) : (
                <Badge>Not started</Badge>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <div>
          <Button disabled={launcher.isPending} onClick={() => launcher.mutate()}>
            {launcher.isPending ? 'Launching…' : 'Launch import'}
          </Button>
        </div>
      )}
      {launched ? (
        <div>
          <Link href="/status" className={buttonVariants()}>
            Go to the status page
          </Link>
        </div>
      ) : null}
      {launcher.data && !launcher.data.ok ? (
        <p role="alert" className="text-sm text-danger">
          {launcher.data.error.message}
        </p>
      ) : null}
    </section>
  );
}
