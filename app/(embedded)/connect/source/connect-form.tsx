'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { type FieldPath, useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { describedBy, Field, fieldIds, inputClassName } from '@/components/ui/field';
import { CopyButton } from '@/components/wizard/copy-button';
import type { ActionResult } from '@/lib/actions/action-result';
import type { DemoSourceHints } from '@/lib/demo/demo-source-hints';
import {
  CONNECT_VENDORS,
  type ConnectionForm,
  ConnectionFormSchema,
  type ConnectionFormValues,
  type ConnectVendor,
  defaultPort,
  emptyConnectionForm,
  passwordNeeded,
  readOnlyUserSql,
} from '@/lib/wizard/connection-form';
import { type ConnectionTest, saveConnection, testConnection } from './actions';
import { ConnectionChecklist } from './connection-checklist';
import { cn } from '@/lib/utils';

type Props = {
  initial: ConnectionForm | null;
  sourceId: string | null;
  /** Where Inlet connects from, for the customer's firewall. */
  egressAddresses: string[];
  nextPath: string | null;
  /** The demo database's credentials, shown (and fillable) in demo mode. */
  demoHints?: DemoSourceHints | null;
};

export function ConnectForm({ initial, sourceId, egressAddresses, nextPath, demoHints }: Props) {
  const router = useRouter();
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ConnectionForm, unknown, ConnectionFormValues>({
    resolver: zodResolver(ConnectionFormSchema),
    defaultValues: initial ?? emptyConnectionForm(),
    mode: 'onTouched',
  });
  const { register, formState, control, setValue, setError, setFocus, handleSubmit } = form;
  const [vendor, database, schema, username] = useWatch({
    control,
    name: ['vendor', 'database', 'schema', 'username'],
  });
  // A saved password only goes to the server it was entered for: a new host (port, database, user,
  // SSL) needs it again.
  const passwordAgain = useWatch({
    control,
    compute: (values) => (sourceId && initial ? passwordNeeded(initial, values) : null),
  });
  const errors = formState.errors;
  // The result appears below the fold on a small screen: bring it into view, where it is also read
  // out (role="status").
  const result = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!test || !result.current) return;
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    result.current.scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'nearest' });
  }, [test]);

  function applyFieldErrors(fieldErrors: Record<string, string> | undefined) {
    const names = Object.keys(fieldErrors ?? {}) as FieldPath<ConnectionForm>[];
    for (const name of names) setError(name, { type: 'server', message: fieldErrors![name] });
    if (names[0]) setFocus(names[0]);
  }

  function settle<T>(result: ActionResult<T>, onData: (data: T) => void) {
    if (!result.ok) {
      setFormError(result.error.message);
      applyFieldErrors(result.fieldErrors);
      return;
    }
    setFormError(null);
    onData(result.data);
  }

  const tester = useMutation({
    mutationFn: (values: ConnectionFormValues) =>
      testConnection({ form: values, sourceId: sourceId ?? undefined }),
    onSuccess: (result) =>
      settle(result, (data) => {
        setTest(data);
        applyFieldErrors(data.fieldErrors);
      }),
  });
  const saver = useMutation({
    mutationFn: (values: ConnectionFormValues) =>
      saveConnection({ form: values, sourceId: sourceId ?? undefined }),
    onSuccess: (result) =>
      settle(result, (data) => {
        setTest(data.test);
        if (!data.saved) return applyFieldErrors(data.test.fieldErrors);
        router.push(nextPath ?? '/connect/source');
        router.refresh();
      }),
  });
  const busy = tester.isPending || saver.isPending;

  const chooseVendor = (next: ConnectVendor) => {
    setValue('vendor', next);
    setValue('port', defaultPort(next));
    setTest(null);
  };

  const text = (
    name: FieldPath<ConnectionForm>,
    extra: {
      description?: boolean;
      type?: string;
      autoComplete?: string;
      inputMode?: 'numeric';
    } = {},
  ) => ({
    id: fieldIds(name).control,
    type: extra.type ?? 'text',
    autoComplete: extra.autoComplete ?? 'off',
    inputMode: extra.inputMode,
    className: inputClassName,
    'aria-invalid': errors[name as keyof typeof errors] ? true : undefined,
    'aria-describedby': describedBy(name, {
      description: extra.description,
      error: !!errors[name as keyof typeof errors],
    }),
    ...register(name),
  });

  const sql = readOnlyUserSql(vendor, { database, schema: schema ?? undefined, username });

  const fillDemo = () => {
    if (!demoHints) return;
    setValue('vendor', 'postgres');
    setValue('host', demoHints.host);
    setValue('port', demoHints.port);
    setValue('database', demoHints.database);
    setValue('username', demoHints.username);
    setValue('password', demoHints.password);
    setValue('requireSsl', demoHints.disable_ssl !== true);
  };

  return (
    <form
      noValidate
      className="flex flex-col gap-8"
      onSubmit={handleSubmit((values) => saver.mutate(values))}
    >
      {demoHints ? (
        <aside
          aria-labelledby="demo-hints-title"
          className={cn(
            'flex flex-wrap items-center justify-between gap-3 rounded-xl border',
            'border-warning-border bg-warning-soft p-4 text-sm',
          )}
        >
          <div>
            <p id="demo-hints-title" className="font-semibold">
              Demo database
            </p>
            <p>
              PostgreSQL at {`${demoHints.host}:${demoHints.port}`}, database {demoHints.database},
              user {demoHints.username}, password {demoHints.password}, without SSL.
            </p>
          </div>
          <Button size="sm" variant="outline" onClick={fillDemo}>
            Fill in the demo credentials
          </Button>
        </aside>
      ) : null}
      <fieldset className="flex flex-col gap-3">
        <legend className="text-sm font-medium">Database</legend>
        <div className="grid gap-3 sm:grid-cols-3" role="radiogroup" aria-label="Database">
          {CONNECT_VENDORS.map((option) => (
            <label
              key={option.id}
              className={
                'flex cursor-pointer items-center gap-3 rounded-lg border bg-card px-4 py-3 ' +
                'text-sm has-[:checked]:border-primary has-[:disabled]:cursor-not-allowed ' +
                'has-[:disabled]:opacity-60'
              }
            >
              <input
                type="radio"
                name="vendor-choice"
                value={option.id}
                checked={vendor === option.id}
                disabled={!!sourceId}
                onChange={() => chooseVendor(option.id)}
              />
              <span>{option.label}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="grid gap-5 sm:grid-cols-6">
        <Field
          name="host"
          label="Host"
          error={errors.host?.message}
          className="sm:col-span-4"
          description={
            "The server's host name or IP address, e.g. db.example.com. " +
            'Your cloud console shows it as the endpoint.'
          }
        >
          <input {...text('host', { description: true })} />
        </Field>
        <Field name="port" label="Port" error={errors.port?.message} className="sm:col-span-2">
          <input {...text('port', { inputMode: 'numeric' })} />
        </Field>
        <Field
          name="database"
          label="Database name"
          error={errors.database?.message}
          className="sm:col-span-3"
          description="The database on that server to read from, e.g. production."
        >
          <input {...text('database', { description: true })} />
        </Field>
        {vendor === 'postgres' ? (
          <Field
            name="schema"
            label="Schema"
            optional
            error={errors.schema?.message}
            className="sm:col-span-3"
            description="e.g. public. Leave empty to see every schema the user can read."
          >
            <input {...text('schema', { description: true })} />
          </Field>
        ) : null}
        <Field
          name="username"
          label="User name"
          error={errors.username?.message}
          className="sm:col-span-3"
          description="A read-only user, e.g. inlet_reader: the SQL below creates one."
        >
          <input {...text('username', { autoComplete: 'username', description: true })} />
        </Field>
        <Field
          name="password"
          label="Password"
          error={errors.password?.message}
          className="sm:col-span-3"
          description={
            sourceId
              ? (passwordAgain ?? 'Leave empty to keep the saved password.')
              : 'Stored encrypted; nobody can read it back, including you.'
          }
        >
          <input
            {...text('password', {
              type: 'password',
              autoComplete: 'new-password',
              description: true,
            })}
            aria-required={!sourceId || passwordAgain ? true : undefined}
          />
        </Field>
        <Field
          name="name"
          label="Connection name"
          error={errors.name?.message}
          className="sm:col-span-6"
        >
          <input {...text('name')} />
        </Field>
      </div>

      <details className="rounded-xl border bg-card p-5 text-sm">
        <summary className="cursor-pointer font-medium">
          Create a read-only user, and allow Inlet through your firewall
        </summary>
        <div className="mt-4 flex flex-col gap-4">
          <p className="text-muted-foreground">
            Inlet only reads. Run this as an administrator to create a user that can read and
            nothing else:
          </p>
          <pre className="overflow-x-auto rounded-lg bg-muted p-3 text-xs leading-5">
            <code>{sql}</code>
          </pre>
          <div>
            <CopyButton text={sql} label="Copy SQL" />
          </div>
          <p className="text-muted-foreground">
            If your database only accepts known addresses, allow:{' '}
            <strong className="text-foreground">{egressAddresses.join(', ')}</strong>
          </p>
        </div>
      </details>

      <fieldset className="flex flex-col gap-4 text-sm">
        <legend className="font-medium">Security</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" {...register('requireSsl')} /> Require an encrypted (SSL/TLS)
          connection
        </label>
      </fieldset>

      <div ref={result} role="status" className="scroll-mt-4">
        {test ? (
          <ConnectionChecklist checks={test.checks} message={test.message} passed={test.passed} />
        ) : null}
      </div>
      {formError ? (
        <p role="alert" className="text-sm text-danger">
          {formError}
        </p>
      ) : null}

      <div className="flex flex-wrap gap-3">
        <Button type="submit" disabled={busy}>
          {saver.isPending
            ? 'Testing and saving…'
            : sourceId
              ? 'Test and save changes'
              : 'Test and continue'}
        </Button>
        <Button
          variant="outline"
          disabled={busy}
          onClick={handleSubmit((values) => tester.mutate(values))}
        >
          {tester.isPending ? 'Testing…' : 'Test connection'}
        </Button>
      </div>
    </form>
  );
}
