'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { describedBy, Field, fieldIds, inputClassName } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import type { SchemaColumn } from '@/lib/prequel/contract/source-actions';
import { FREQUENCIES } from '@/lib/wizard/dataset-choice';
import { checkQuery, importQuery } from './actions';

/**
 * Import the result of a query: checked against the database (columns and types) before it is
 * saved.
 */
export function SqlDatasetForm() {
  const queryClient = useQueryClient();
  const [query, setQuery] = useState('');
  const [columns, setColumns] = useState<SchemaColumn[] | null>(null);
  const [name, setName] = useState('');
  const [primaryKey, setPrimaryKey] = useState('');
  const [lastModified, setLastModified] = useState('');
  const [frequency, setFrequency] = useState(60);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');

  const checker = useMutation({
    mutationFn: () => checkQuery({ query }),
    onSuccess: (result) => {
      setDone('');
      if (!result.ok) {
        setColumns(null);
        return setErrors(result.fieldErrors ?? { query: result.error.message });
      }
      setErrors({});
      setColumns(result.data);
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
      importQuery({
        name,
        query,
        primaryKey,
        lastModified: lastModified || undefined,
        frequencyMinutes: frequency,
      }),
    onSuccess: async (result) => {
      if (!result.ok) return setErrors(result.fieldErrors ?? { name: result.error.message });
      setErrors({});
      setDone(`Importing “${name}”.`);
      await queryClient.invalidateQueries({ queryKey: ['wizard', 'datasets'] });
    },
  });

  return (
    <details className="rounded-xl border bg-card p-5">
      <summary className="cursor-pointer text-sm font-medium">
        Or import the result of a SQL query
      </summary>
      <div className="mt-4 flex flex-col gap-4">
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
        <div>
          <Button
            variant="outline"
            disabled={!query.trim() || checker.isPending}
            onClick={() => checker.mutate()}
          >
            {checker.isPending ? 'Checking…' : 'Check query'}
          </Button>
        </div>
        {columns ? (
          <div className="flex flex-col gap-4">
            <p className="text-sm text-muted-foreground">
              {columns.length} columns:{' '}
              {columns.map((column) => `${column.name} (${column.prequel_type})`).join(', ')}
            </p>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field name="sql-name" label="Name" error={errors.name}>
                <input
                  id={fieldIds('sql-name').control}
                  className={inputClassName}
                  value={name}
                  onChange={(event) => setName(event.target.value)}
                />
              </Field>
              <Field name="sql-pk" label="Unique column (primary key)" error={errors.primaryKey}>
                <Select
                  id={fieldIds('sql-pk').control}
                  value={primaryKey}
                  onChange={(event) => setPrimaryKey(event.target.value)}
                  options={columns.map((column) => ({ value: column.name, label: column.name }))}
                />
              </Field>
              <Field
                name="sql-modified"
                label="Last-modified column"
                optional
                description="Without one, every run reads everything and compares it."
              >
                <Select
                  id={fieldIds('sql-modified').control}
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
              <Field name="sql-frequency" label="How often">
                <Select
                  id={fieldIds('sql-frequency').control}
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
                {importer.isPending ? 'Starting…' : 'Import this query'}
              </Button>
            </div>
          </div>
        ) : null}
        <p role="status" className="text-sm text-success">
          {done}
        </p>
      </div>
    </details>
  );
}
