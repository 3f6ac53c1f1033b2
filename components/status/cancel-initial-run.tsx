'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { cancelRun } from '@/lib/actions/status';
import type { Extract, Load } from '@/lib/prequel/contract/job';

/**
 * Cancel for the import that is still getting the customer's first data in (nothing succeeded yet):
 * later runs are small and scheduled, and pausing is the way to stop those.
 */
export function CancelInitialRun({
  kind,
  run,
  name,
}: {
  kind: 'extract' | 'load';
  run: Extract | Load;
  name: string;
}) {
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => cancelRun({ kind, id: run.id }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['status'] }),
  });
  const stopping = Boolean(run.cancel_requested_at) || (cancel.data?.ok ?? false);
  return (
    <>
      <Button
        size="sm"
        variant="outline"
        aria-label={`Cancel ${name}`}
        disabled={stopping || cancel.isPending}
        onClick={() => cancel.mutate()}
      >
        {stopping ? 'Stopping…' : 'Cancel'}
      </Button>
      {cancel.data && !cancel.data.ok ? (
        <span role="alert" className="text-sm text-danger">
          {cancel.data.error.message}
        </span>
      ) : null}
    </>
  );
}
