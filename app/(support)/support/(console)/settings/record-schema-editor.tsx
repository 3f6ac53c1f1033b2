'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClassName } from '@/components/ui/field';
import { checkRecordSchema } from '@/lib/support/record-schema-check';
import { saveRecordSchema } from './actions';

/**
 * Edit a destination's record schema: checked on every keystroke, validated in full by the Import
 * API on save.
 */
export function RecordSchemaEditor({
  destinationId,
  name,
  initial,
}: {
  destinationId: string;
  name: string;
  initial: string;
}) {
  const id = useId();
  const [text, setText] = useState(initial);
  const [reason, setReason] = useState('');
  const check = checkRecordSchema(text);
  const save = useMutation({
    mutationFn: () => saveRecordSchema({ destinationId, schema: text, reason }),
  });
  return (
    <form
      className="flex flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <label htmlFor={`${id}-schema`} className="text-sm font-medium">
        Record schema of {name}
      </label>
      <textarea
        id={`${id}-schema`}
        className={`${inputClassName} h-56 py-2 font-mono text-xs`}
        value={text}
        spellCheck={false}
        aria-invalid={check.ok ? undefined : true}
        aria-describedby={`${id}-check`}
        onChange={(event) => setText(event.target.value)}
      />
      <p
        id={`${id}-check`}
        className={check.ok ? 'text-xs text-success' : 'text-xs text-danger'}
        aria-live="polite"
      >
        {check.ok ? `${check.fields} fields, ${check.required} required` : check.message}
      </p>
      <label htmlFor={`${id}-reason`} className="text-sm font-medium">
        Why the change
      </label>
      <input
        id={`${id}-reason`}
        className={inputClassName}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      <div>
        <Button
          type="submit"
          size="sm"
          disabled={!check.ok || reason.trim().length < 5 || save.isPending}
        >
          {save.isPending ? 'Saving…' : 'Save schema'}
        </Button>
      </div>
      <p
        role="status"
        className={save.data && !save.data.ok ? 'text-sm text-danger' : 'text-sm text-success'}
      >
        {save.data ? (save.data.ok ? 'Saved.' : save.data.error.message) : ''}
      </p>
    </form>
  );
}
