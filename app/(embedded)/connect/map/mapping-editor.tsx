'use client';

import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { inputClassName } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { mappingProgress, suggestFix, type Suggestion } from '@/lib/mapping/suggest-mappings';
import type { TargetField } from '@/lib/mapping/target-fields';
import type { Mapping } from '@/lib/prequel/contract/stream';
import { RouteError } from '@/lib/read-route';
import { useDebounced } from '@/lib/use-debounced';
import type { MappingContext } from '@/lib/wizard/mapping-context';
import { wizardQueries } from '@/lib/wizard/queries';
import { saveMapping } from './actions';
import { ExpressionHelp } from './expression-help';
import { PreviewTable } from './preview-table';

const NEW_COLUMNS_NOTE = 'in your data since this mapping was saved:';

type Props = {
  destination: { id: string; name: string };
  datasetId: string;
  context: MappingContext;
  nextPath: string;
};

type Cell =
  { kind: 'none' } | { kind: 'column'; column: string } | { kind: 'expression'; expr: string };

const cellOf = (mapping: Mapping | undefined): Cell =>
  !mapping
    ? { kind: 'none' }
    : mapping.field_type === 'field'
      ? { kind: 'column', column: mapping.column.name }
      : { kind: 'expression', expr: mapping.expression.expr };

const mappingOf = (target: string, cell: Cell): Mapping | null =>
  cell.kind === 'column'
    ? { target_field: target, field_type: 'field', column: { name: cell.column } }
    : cell.kind === 'expression' && cell.expr.trim()
      ? { target_field: target, field_type: 'expression', expression: { expr: cell.expr } }
      : null;

const sameMapping = (a: Mapping | null, b: Mapping | undefined) =>
  JSON.stringify(a) === JSON.stringify(b ?? null);
const fieldId = (path: string) => `map-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

/**
 * Each target field gets a column or an expression; a live preview shows the records the pipeline
 * would send.
 */
export function MappingEditor({ destination, datasetId, context, nextPath }: Props) {
  const router = useRouter();
  const suggestionFor = useMemo(
    () =>
      new Map<string, Suggestion>(
        context.suggestions.map((suggestion) => [suggestion.target, suggestion]),
      ),
    [context.suggestions],
  );
  const [cells, setCells] = useState<Record<string, Cell>>(() => {
    const saved = new Map((context.saved ?? []).map((mapping) => [mapping.target_field, mapping]));
    return Object.fromEntries(
      context.fields.map((field) => [
        field.path,
        cellOf(context.saved ? saved.get(field.path) : suggestionFor.get(field.path)?.mapping),
      ]),
    );
  });
  const [notice, setNotice] = useState<{ tone: 'danger' | 'success'; text: string } | null>(null);

  const mappings = useMemo(
    () =>
      context.fields
        .map((field) => mappingOf(field.path, cells[field.path] ?? { kind: 'none' }))
        .filter((mapping): mapping is Mapping => mapping !== null),
    [cells, context.fields],
  );
  const progress = mappingProgress(context.fields, mappings);
  const previewInput = useDebounced(mappings, 400);
  const preview = useQuery({
    ...wizardQueries.preview({
      destinationId: destination.id,
      datasetId,
      mappings: previewInput,
      recordIds: context.sampleRecordIds,
    }),
    placeholderData: keepPreviousData,
  });
  const errorsByField = useMemo(() => {
    const byField = new Map<string, { message: string; fix?: string }>();
    // A mapping the API cannot apply at all (an expression that does not parse) is refused with its
    // index.
    if (preview.error instanceof RouteError) {
      for (const problem of preview.error.fields) {
        const index = /^stream\.mappings\.(\d+)\./.exec(problem.path)?.[1];
        const target = index === undefined ? undefined : previewInput[Number(index)]?.target_field;
        if (target && !byField.has(target)) byField.set(target, { message: problem.message });
      }
    }
    for (const error of preview.data?.errors ?? [])
      if (error.target_field && !byField.has(error.target_field))
        byField.set(error.target_field, { message: error.message, fix: error.fix });
    return byField;
  }, [preview.data, preview.error, previewInput]);

  const saver = useMutation({
    mutationFn: () => saveMapping({ destinationId: destination.id, datasetId, mappings }),
    onSuccess: (result) => {
      if (!result.ok) return setNotice({ tone: 'danger', text: result.error.message });
      setNotice({ tone: 'success', text: 'Mapping saved.' });
      router.push(nextPath);
      router.refresh();
    },
  });

  const setCell = (path: string, cell: Cell) =>
    setCells((current) => ({ ...current, [path]: cell }));
  const columnByName = new Map(context.columns.map((column) => [column.name, column]));
  const isNew = new Set(context.newColumns);

  return (
    <div className="flex flex-col gap-6">
      {context.goneColumns.map((gone) => (
        <p
          key={gone.name}
          role="status"
          className="rounded-lg border border-danger-border bg-danger-soft p-3 text-sm"
        >
          <span className="font-semibold text-danger">
            “{gone.name}” is no longer in your data
            {gone.renamedTo ? ` (probably renamed to “${gone.renamedTo}”)` : ''}.
          </span>{' '}
          Remap {gone.fields.map((field) => `“${field}”`).join(', ')} below
          {gone.renamedTo ? ` to “${gone.renamedTo}”` : ''}, then save: deliveries wait until then.
        </p>
      ))}
      {context.newColumns.length ? (
        <p className="text-sm">
          <Badge tone="success">New</Badge>{' '}
          <span className="text-muted-foreground">{NEW_COLUMNS_NOTE}</span>{' '}
          {context.newColumns.map((name) => `“${name}”`).join(', ')}
        </p>
      ) : null}
      <p className="text-sm font-medium" aria-live="polite">
        {progress.requiredMapped} of {progress.requiredTotal} required fields mapped
        <span className="font-normal text-muted-foreground">
          {' '}
          · {progress.mapped} of {progress.total} fields in all
        </span>
      </p>

      <ul className="flex flex-col divide-y rounded-xl border bg-card">
        {context.fields.map((field: TargetField) => {
          const cell = cells[field.path] ?? { kind: 'none' };
          const current = mappingOf(field.path, cell);
          const suggestion = suggestionFor.get(field.path);
          const error = errorsByField.get(field.path);
          const column = cell.kind === 'column' ? columnByName.get(cell.column) : undefined;
          const fix =
            error && current
              ? suggestFix(field, current, { message: error.message }, column)
              : null;
          const id = fieldId(field.path);
          return (
            <li
              key={field.path}
              className="grid gap-3 px-4 py-4 sm:grid-cols-[minmax(0,14rem)_minmax(0,1fr)]"
            >
              <div>
                <label htmlFor={id} className="font-mono text-sm font-medium">
                  {field.path}
                </label>
                <div className="mt-1 flex flex-wrap gap-1.5">
                  {field.required ? <Badge tone="warning">Required</Badge> : null}
                  <Badge>
                    {[...field.type, field.format].filter(Boolean).join(' · ') || 'any'}
                  </Badge>
                </div>
                {field.description ? (
                  <p className="mt-1 text-xs text-muted-foreground">{field.description}</p>
                ) : null}
              </div>
              <div className="flex flex-col gap-2">
                <Select
                  id={id}
                  value={cell.kind === 'column' ? `column:${cell.column}` : cell.kind}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  onChange={(event) => {
                    const value = event.target.value;
                    if (value === 'none') setCell(field.path, { kind: 'none' });
                    else if (value === 'expression')
                      setCell(field.path, {
                        kind: 'expression',
                        expr: cell.kind === 'column' ? cell.column : '',
                      });
                    else
                      setCell(field.path, {
                        kind: 'column',
                        column: value.slice('column:'.length),
                      });
                  }}
                  options={[
                    { value: 'none', label: 'Not mapped' },
                    ...context.columns.map((option) => ({
                      value: `column:${option.name}`,
                      label:
                        `${option.name} ` +
                        `(${option.prequel_type})${isNew.has(option.name) ? ' · new' : ''}`,
                    })),
                    { value: 'expression', label: 'Expression…' },
                  ]}
                />
                {cell.kind === 'expression' ? (
                  <>
                    <label htmlFor={`${id}-expr`} className="sr-only">
                      Expression for {field.path}
                    </label>
                    <input
                      id={`${id}-expr`}
                      className={`${inputClassName} font-mono`}
                      value={cell.expr}
                      spellCheck={false}
                      onChange={(event) =>
                        setCell(field.path, { kind: 'expression', expr: event.target.value })
                      }
                    />
                    <ExpressionHelp columns={context.columns.map((option) => option.name)} />
                  </>
                ) : null}
                {suggestion && sameMapping(current, suggestion.mapping) ? (
                  <p className="text-xs text-muted-foreground">Suggested: {suggestion.reason}</p>
                ) : null}
                {error ? (
                  <div id={`${id}-error`} className="text-sm text-danger">
                    <p>{error.message}</p>
                    {error.fix ? <p className="text-muted-foreground">{error.fix}</p> : null}
                    {fix ? (
                      <Button
                        size="sm"
                        variant="outline"
                        className="mt-1"
                        onClick={() => setCell(field.path, cellOf(fix.mapping))}
                      >
                        Apply fix: {fix.explanation}
                      </Button>
                    ) : null}
                  </div>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>

      <section aria-labelledby="preview-title" className="flex flex-col gap-3">
        <h2 id="preview-title" className="text-base font-semibold">
          Preview: what {destination.name} will receive
        </h2>
        {context.sampleRecordIds.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            The preview appears once the first import has read some rows.
          </p>
        ) : preview.isError && errorsByField.size === 0 ? (
          <p role="alert" className="text-sm text-danger">
            {preview.error.message}
          </p>
        ) : (
          <PreviewTable
            fields={context.fields}
            recordIds={context.sampleRecordIds}
            preview={preview.data}
            isFetching={preview.isFetching}
          />
        )}
      </section>

      <div className="flex flex-wrap items-center gap-3">
        <Button
          disabled={saver.isPending || progress.requiredMapped < progress.requiredTotal}
          onClick={() => saver.mutate()}
        >
          {saver.isPending ? 'Saving…' : 'Save mapping and continue'}
        </Button>
        {progress.requiredMapped < progress.requiredTotal ? (
          <p className="text-sm text-muted-foreground">Map every required field to continue.</p>
        ) : null}
      </div>
      <p
        role="status"
        className={notice?.tone === 'danger' ? 'text-sm text-danger' : 'text-sm text-success'}
      >
        {notice?.text ?? ''}
      </p>
    </div>
  );
}
