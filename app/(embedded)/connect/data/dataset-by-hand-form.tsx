'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { describedBy, Field, fieldIds, inputClassName } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import type { SchemaColumn } from '@/lib/prequel/contract/source-actions';
import { FREQUENCIES, stillImporting } from '@/lib/wizard/dataset-choice';
import { wizardQueries } from '@/lib/wizard/queries';
import { checkRead, type DatasetRead, importRead } from './actions';

/**
 * Import the result of a query, or a table named by hand (where the API cannot list tables):
 * checked against the database (columns and types) before it is saved.
 */
export function DatasetByHandForm({ reads }: { reads: DatasetRead['method'] }) {
  const queryClient = useQueryClient();
  const [query, setQuery] = useState('');
  const [namespace, setNamespace] = useState('public');
  const [tableName, setTableName] = useState('');
  const [columns, setColumns] = useState<SchemaColumn[] | null>(null);
  const [name, setName] = useState('');
  const [primaryKey, setPrimaryKey] = useState('');
  const [lastModified, setLastModified] = useState('');
  const [frequency, setFrequency] = useState(60);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // The import this form started: "Importing…" lasts while it runs, then "Your imports" tells.
  const [started, setStarted] = useState<{ id: string; name: string } | null>(null);
  const datasets = useQuery(wizardQueries.datasets());
  const importing =
    started && stillImporting([started.id], datasets.data ?? [])
      ? `Importing “${started.name}”.`
      : '';

  const read: DatasetRead =
    reads === 'sql'
      ? { method: 'sql', query }
      : { method: 'table', namespace: namespace.trim(), name: tableName.trim() };
  const checker = useMutation({
    mutationFn: () => checkRead({ read }),
    onSuccess: (result) => {
      setStarted(null);
      if (!result.ok) {
        setColumns(null);
        return setErrors(
          result.fieldErrors ?? { [reads === 'sql' ? 'query' : 'table']: result.error.message },
        );
      }
      setErrors({});
      setColumns(result.data);
      if (read.method === 'table' && !name) setName(read.name);
      setPrimaryKey(
        result.data.find((column) => column.name === 'id')?.name ?? result.data[0]?.name ?? '',
      );
      setLastModified(
        result.data.find(
          (column) => /updated|modified/i.test(column.name) && column.prequel_type === 'timestamp',
        )?.name ?? '',
      );
    },
  });
  const importer = useMutation({
    mutationFn: () =>
      importRead({
        name,
        read,
        primaryKey,
        lastModified: lastModified || undefined,
        frequencyMinutes: frequency,
      }),
    onSuccess: async (result) => {
      if (!result.ok) return setErrors(result.fieldErrors ?? { name: result.error.message });
      setErrors({});
      setStarted(result.data.created[0] ? { id: result.data.created[0], name } : null);
      await queryClient.invalidateQueries({ queryKey: ['wizard', 'datasets'] });
    },
  });

  const readFields =
    reads === 'sql' ? (
      <Field
        name="query"
        label="SQL query"
        error={errors.query}
        description="One read-only SELECT. It runs with a time limit, on each import."
      >
        <textarea
          id={fieldIds('query').control}
          className={`${inputClassName} h-28 py-2 font-mono`}
          value={query}
          aria-invalid={errors.query ? true : undefined}
          aria-describedby={describedBy('query', { description: true, error: !!errors.query })}
          onChange={(event) => {
            setQuery(event.target.value);
            setColumns(null);
          }}
        />
      </Field>
    ) : (
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="table-namespace" label="Schema">
          <input
            id={fieldIds('table-namespace').control}
            className={inputClassName}
            value={namespace}
            onChange={(event) => {
              setNamespace(event.target.value);
              setColumns(null);
            }}
          />
        </Field>
        <Field name="table" label="Table name" error={errors.table}>
          <input
            id={fieldIds('table').control}
            className={inputClassName}
            value={tableName}
            aria-invalid={errors.table ? true : undefined}
            aria-describedby={describedBy('table', { error: !!errors.table })}
            onChange={(event) => {
              setTableName(event.target.value);
              setColumns(null);
            }}
          />
        </Field>
      </div>
    );
  const body = (
    <div className="mt-4 flex flex-col gap-4">
      {readFields}
      <div>
        <Button
          variant="outline"
          disabled={
            !(read.method === 'sql' ? read.query : read.namespace && read.name) || checker.isPending
          }
          onClick={() => checker.mutate()}
        >
          {checker.isPending ? 'Checking…' : reads === 'sql' ? 'Check query' : 'Check table'}
        </Button>
      </div>
      {columns ? (
        <div className="flex flex-col gap-4">
          <p className="text-sm text-muted-foreground">
            {columns.length} columns:{' '}
            {columns.map((column) => `${column.name} (${column.prequel_type})`).join(', ')}
          </p>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field name={`${reads}-name`} label="Name" error={errors.name}>
              <input
                id={fieldIds(`${reads}-name`).control}
                className={inputClassName}
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
            </Field>
            <Field
              name={`${reads}-pk`}
              label="Unique column (primary key)"
              error={errors.primaryKey}
            >
              <Select
                id={fieldIds(`${reads}-pk`).control}
                value={primaryKey}
                onChange={(event) => setPrimaryKey(event.target.value)}
                options={columns.map((column) => ({ value: column.name, label: column.name }))}
              />
            </Field>
            <Field
              name={`${reads}-modified`}
              label="Last-modified column"
              optional
              description="Without one, every run reads everything and compares it."
            >
              <Select
                id={fieldIds(`${reads}-modified`).control}
                value={lastModified}
                onChange={(event) => setLastModified(event.target.value)}
                options={[
                  { value: '', label: 'None' },
                  ...columns
                    .filter(
                      (column) =>
                        column.prequel_type === 'timestamp' || column.prequel_type === 'date',
                    )
                    .map((column) => ({ value: column.name, label: column.name })),
                ]}
              />
            </Field>
            <Field name={`${reads}-frequency`} label="How often">
              <Select
                id={fieldIds(`${reads}-frequency`).control}
                value={frequency}
                onChange={(event) => setFrequency(Number(event.target.value))}
                options={FREQUENCIES.map(({ minutes, label }) => ({ value: minutes, label }))}
              />
            </Field>
          </div>
          <div>
            <Button
              disabled={!name.trim() || !primaryKey || importer.isPending}
              onClick={() => importer.mutate()}
            >
              {importer.isPending
                ? 'Starting…'
                : reads === 'sql'
                  ? 'Import this query'
                  : 'Import this table'}
            </Button>
          </div>
        </div>
      ) : null}
      <p role="status" className="text-sm text-success">
        {importing}
      </p>
    </div>
  );
  return reads === 'sql' ? (
    <details className="rounded-xl border bg-card p-5">
      <summary className="cursor-pointer text-sm font-medium">
        Or import the result of a SQL query
      </summary>
      {body}
    </details>
  ) : (
    <section aria-labelledby="table-by-name-title" className="rounded-xl border bg-card p-5">
      <h2 id="table-by-name-title" className="text-base font-semibold">
        Import a table by its name
      </h2>
      <p className="mt-1 text-sm text-muted-foreground">
        This Import API cannot list your tables: name the one to import.
      </p>
      {body}
    </section>
  );
}
