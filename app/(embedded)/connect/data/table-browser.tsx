'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { inputClassName } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { useDebounced } from '@/lib/use-debounced';
import {
  describeTracking,
  FREQUENCIES,
  importedTables,
  READINESS,
  stillImporting,
  tableKey as key,
} from '@/lib/wizard/dataset-choice';
import { wizardQueries } from '@/lib/wizard/queries';
import { importTables } from './actions';

const formatRows = (rows: number | null) =>
  rows === null
    ? 'unknown'
    : rows < 1000
      ? String(rows)
      : `~${new Intl.NumberFormat('en', { notation: 'compact' }).format(rows)}`;

/**
 * Search and page through thousands of tables, pick the ones to import, and start importing them.
 */
export function TableBrowser() {
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const debouncedSearch = useDebounced(search.trim(), 250);
  // Pages are a stack of cursors for one search; a new search starts again at its first page.
  const [paging, setPaging] = useState<{ search: string; cursors: (string | null)[] }>({
    search: '',
    cursors: [null],
  });
  const cursors = paging.search === debouncedSearch ? paging.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;
  const [selected, setSelected] = useState<Map<string, { namespace: string; name: string }>>(
    new Map(),
  );
  const [frequency, setFrequency] = useState(60);
  // What the last import did: the datasets it started, and the tables it could not start.
  const [outcome, setOutcome] = useState<{ started: string[]; problems: string[] } | null>(null);
  const tables = useQuery(wizardQueries.tables(debouncedSearch, cursor));
  // The same list as "Your imports": a table is marked the moment its import starts.
  const datasets = useQuery(wizardQueries.datasets());
  const imported = importedTables(datasets.data ?? []);
  // "Importing…" lasts while those imports run; the problems, until the next choice.
  const importing =
    outcome?.started.length && stillImporting(outcome.started, datasets.data ?? [])
      ? `Importing ${outcome.started.length} table${outcome.started.length === 1 ? '' : 's'}.`
      : null;

  const importer = useMutation({
    mutationFn: () => importTables({ tables: [...selected.values()], frequencyMinutes: frequency }),
    onSuccess: async (result) => {
      if (!result.ok) return setOutcome({ started: [], problems: [result.error.message] });
      const { created, skipped } = result.data;
      setSelected(new Map());
      setOutcome({
        started: created,
        problems: skipped.map((item) => `${item.table}: ${item.reason}`),
      });
      await queryClient.invalidateQueries({ queryKey: ['wizard', 'datasets'] });
    },
  });

  const toggle = (table: { namespace: string; name: string }) => {
    setOutcome((last) => (last ? { ...last, problems: [] } : last));
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(key(table))) next.delete(key(table));
      else next.set(key(table), { namespace: table.namespace, name: table.name });
      return next;
    });
  };

  return (
    <section aria-labelledby="tables-title" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="tables-title" className="text-base font-semibold">
          Tables in your database
        </h2>
        <div className="flex w-full flex-col gap-1.5 sm:w-72">
          <label htmlFor="table-search" className="text-sm font-medium">
            Search tables
          </label>
          <input
            id="table-search"
            type="search"
            className={inputClassName}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
      </div>

      {tables.isError ? (
        <p role="alert" className="text-sm text-danger">
          {tables.error.message}
        </p>
      ) : null}

      <div className="overflow-x-auto rounded-xl border bg-card">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">
            Tables you can import; choose them with the checkboxes.
          </caption>
          <thead className="border-b text-xs text-muted-foreground">
            <tr>
              <th scope="col" className="w-10 px-3 py-2">
                <span className="sr-only">Import</span>
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Table
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Rows
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Primary key
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                How changes are found
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Status
              </th>
            </tr>
          </thead>
          <tbody aria-busy={tables.isFetching}>
            {tables.data?.items.map((table) => {
              const readiness = READINESS[table.readiness];
              const id = `pick-${key(table)}`;
              const already = imported.has(key(table));
              return (
                <tr key={key(table)} className="border-b last:border-0">
                  <td className="px-3 py-2">
                    <input
                      id={id}
                      type="checkbox"
                      checked={!already && selected.has(key(table))}
                      disabled={already || table.readiness !== 'ready'}
                      onChange={() => toggle(table)}
                    />
                  </td>
                  <td className="px-3 py-2 font-medium">
                    <label htmlFor={id}>{key(table)}</label>
                    <span className="block text-xs font-normal text-muted-foreground">
                      {table.suggested_type === 'fact'
                        ? 'Events (append-only)'
                        : 'Records (updated in place)'}
                    </span>
                  </td>
                  <td className="px-3 py-2 tabular-nums">{formatRows(table.estimated_rows)}</td>
                  <td className="px-3 py-2">{table.primary_key.join(', ') || '—'}</td>
                  <td className="px-3 py-2">{describeTracking(table)}</td>
                  <td className="px-3 py-2">
                    {already ? (
                      <Badge title="It shows under Your imports; each table is imported once.">
                        Already imported
                      </Badge>
                    ) : (
                      <Badge tone={readiness.tone} title={readiness.help}>
                        {readiness.label}
                      </Badge>
                    )}
                  </td>
                </tr>
              );
            })}
            {tables.data && tables.data.items.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-center text-muted-foreground">
                  {debouncedSearch
                    ? `No table matches “${debouncedSearch}”.`
                    : 'The database user cannot see any table. Check its privileges.'}
                </td>
              </tr>
            ) : null}
            {tables.isPending ? (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-center text-muted-foreground">
                  Loading tables…
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      <div className="flex flex-wrap items-center gap-3">
        <Button
          variant="outline"
          size="sm"
          disabled={cursors.length < 2}
          onClick={() => setPaging({ search: debouncedSearch, cursors: cursors.slice(0, -1) })}
        >
          Previous page
        </Button>
        <Button
          variant="outline"
          size="sm"
          disabled={!tables.data?.nextCursor}
          onClick={() =>
            tables.data?.nextCursor &&
            setPaging({ search: debouncedSearch, cursors: [...cursors, tables.data.nextCursor] })
          }
        >
          Next page
        </Button>
      </div>

      <div className="flex flex-wrap items-end gap-3 rounded-xl border bg-card p-4">
        <div className="flex flex-col gap-1.5">
          <label htmlFor="frequency" className="text-sm font-medium">
            How often
          </label>
          <Select
            id="frequency"
            value={frequency}
            onChange={(event) => setFrequency(Number(event.target.value))}
            options={FREQUENCIES.map(({ minutes, label }) => ({ value: minutes, label }))}
          />
        </div>
        <Button
          disabled={selected.size === 0 || importer.isPending}
          onClick={() => importer.mutate()}
        >
          {importer.isPending
            ? 'Starting…'
            : selected.size
              ? `Import ${selected.size} table${selected.size === 1 ? '' : 's'}`
              : 'Choose tables to import'}
        </Button>
      </div>
      <div role="status" className="flex flex-col gap-1 text-sm">
        {importing ? <p className="text-success">{importing}</p> : null}
        {outcome?.problems.map((problem) => (
          <p key={problem} className="text-danger">
            {problem}
          </p>
        ))}
      </div>
    </section>
  );
}
