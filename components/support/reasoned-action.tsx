'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClassName } from '@/components/ui/field';
import type { ActionResult } from '@/lib/actions/action-result';

/**
 * A support action behind a "why?" field: nothing runs until a reason is given, and the reason is
 * kept.
 */
export function ReasonedAction<T>({
  label,
  run,
  describe,
}: {
  label: string;
  run: (reason: string) => Promise<ActionResult<T>>;
  describe?: (data: T) => string;
}) {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const action = useMutation({
    mutationFn: () => run(reason),
    onSuccess: (result) => {
      if (result.ok) {
        setOpen(false);
        setReason('');
        router.refresh();
      }
    },
  });
  const result = action.data;
  return (
    <div className="flex flex-col gap-2">
      {open ? (
        <form
          className="flex flex-col gap-2 rounded-lg border p-3"
          onSubmit={(event) => {
            event.preventDefault();
            action.mutate();
          }}
        >
          <label htmlFor={`${id}-reason`} className="text-sm font-medium">
            Why? ({label})
          </label>
          <textarea
            id={`${id}-reason`}
            className={`${inputClassName} h-16 py-2`}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            required
            minLength={5}
          />
          <div className="flex gap-2">
            <Button type="submit" size="sm" disabled={action.isPending || reason.trim().length < 5}>
              {action.isPending ? 'Working…' : label}
            </Button>
            <Button size="sm" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <Button size="sm" variant="outline" onClick={() => setOpen(true)}>
          {label}
        </Button>
      )}
      <p
        role="status"
        className={result && !result.ok ? 'text-sm text-danger' : 'text-sm text-success'}
      >
        {result
          ? result.ok
            ? describe
              ? describe(result.data)
              : 'Done, and recorded in the audit log.'
            : (result.fieldErrors?.reason ?? result.error.message)
          : ''}
      </p>
    </div>
  );
}
