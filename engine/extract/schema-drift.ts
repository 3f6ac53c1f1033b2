// Pure: how a dataset's source columns drifted from what its streams' mappings read. Each extract
// compares the columns it found with the dataset's previous ones: a mapped column that disappeared
// or changed type is a warning (naming the column, the mapped fields and the fix) until it is back
// or remapped; a column that appeared is offered as new in the mapping editor until a mapping is
// saved.
import type { DriftedColumn, SchemaDrift } from '../../lib/prequel/contract/dataset';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import type { Mapping } from '../../lib/prequel/contract/stream';
import { compileExpression } from '../transform/expr/compile-expression';

export interface MappedStream {
  id: string;
  mappings: readonly Mapping[];
}

/**
 * The columns a stream's mappings read, each with the fields it feeds (expressions read every name
 * they use).
 */
export function columnsReadBy(mappings: readonly Mapping[]): Map<string, string[]> {
  const read = new Map<string, string[]>();
  const add = (column: string, field: string) =>
    read.set(column, [...(read.get(column) ?? []), field]);
  for (const mapping of mappings) {
    if (mapping.field_type === 'field') add(mapping.column.name, mapping.target_field);
    else {
      const compiled = compileExpression(mapping.expression.expr);
      if (compiled.ok)
        for (const name of new Set(compiled.expression.identifiers))
          if (!name.startsWith('$')) add(name, mapping.target_field);
    }
  }
  return read;
}

/**
 * The new column most likely to be `gone` renamed: the only one of its type, or of those the one
 * whose name shares the most.
 */
function renamedTo(gone: SchemaColumn | undefined, appeared: SchemaColumn[]): string | null {
  if (!gone) return null;
  const sameType = appeared.filter((column) => column.prequel_type === gone.prequel_type);
  if (sameType.length <= 1) return sameType[0]?.name ?? null;
  const stem = gone.name.toLowerCase();
  return (
    sameType.find(
      (column) =>
        column.name.toLowerCase().includes(stem) || stem.includes(column.name.toLowerCase()),
    )?.name ?? null
  );
}

/**
 * The drift after an extract found `current`: `previous` is what the dataset had (null before its
 * first read, when nothing can have drifted), `carried` the drift recorded so far.
 */
export function detectDrift(
  previous: readonly SchemaColumn[] | null,
  current: readonly SchemaColumn[],
  streams: readonly MappedStream[],
  carried: SchemaDrift | null,
): SchemaDrift | null {
  if (previous === null) return null;
  const now = new Map(current.map((column) => [column.name, column]));
  const before = new Map(previous.map((column) => [column.name, column]));
  const appeared = current.filter((column) => !before.has(column.name));
  const carriedByName = new Map((carried?.columns ?? []).map((column) => [column.name, column]));
  const readers = new Map<string, DriftedColumn['streams']>();
  for (const stream of streams) {
    for (const [column, fields] of columnsReadBy(stream.mappings))
      readers.set(column, [
        ...(readers.get(column) ?? []),
        { stream_id: stream.id, target_fields: fields },
      ]);
  }

  const columns: DriftedColumn[] = [];
  for (const [name, readBy] of readers) {
    const known = carriedByName.get(name);
    const was = before.get(name);
    const is = now.get(name);
    // The type the mappings expect: as first recorded, else as it was before this read.
    const expected = known?.previous_type ?? was?.prequel_type ?? null;
    if (!is) {
      // Gone now. Never seen at all (a mapping of a column that never existed) is the mapping's own
      // error, not drift.
      if (!was && !known) continue;
      columns.push({
        name,
        change: 'removed',
        previous_type: expected,
        current_type: null,
        renamed_to: known?.renamed_to ?? renamedTo(was, appeared),
        streams: readBy,
      });
    } else if (expected !== null && is.prequel_type !== expected) {
      // Retyped (or back with another type): a warning until the type is back or a mapping is saved
      // again.
      columns.push({
        name,
        change: 'type_changed',
        previous_type: expected,
        current_type: is.prequel_type,
        renamed_to: null,
        streams: readBy,
      });
    }
  }
  const read = new Set(readers.keys());
  const newColumns = [
    ...new Set([...(carried?.new_columns ?? []), ...appeared.map((column) => column.name)]),
  ].filter((name) => now.has(name) && !read.has(name));
  return columns.length || newColumns.length ? { columns, new_columns: newColumns } : null;
}

/**
 * The drifted columns in `next` that `before` did not have (by name and change): what is news to
 * the operator.
 */
export function newProblems(before: SchemaDrift | null, next: SchemaDrift | null): DriftedColumn[] {
  const known = new Set((before?.columns ?? []).map((column) => `${column.change}:${column.name}`));
  return (next?.columns ?? []).filter((column) => !known.has(`${column.change}:${column.name}`));
}

/**
 * After a stream saved its mappings: it accepts the new types of what it reads, no longer waits on
 * a column it stopped reading (remapped), and nothing is new any more.
 */
export function acknowledgeMappings(
  drift: SchemaDrift | null,
  streamId: string,
  mappings: readonly Mapping[],
): SchemaDrift | null {
  if (!drift) return null;
  const reads = columnsReadBy(mappings);
  const columns = drift.columns
    .map((column) =>
      column.change === 'type_changed' || !reads.has(column.name)
        ? { ...column, streams: column.streams.filter((stream) => stream.stream_id !== streamId) }
        : column,
    )
    .filter((column) => column.streams.length > 0);
  return columns.length ? { columns, new_columns: [] } : null;
}

/** One sentence for a drifted column: what happened and the fix. */
export function describeDrift(column: DriftedColumn, table: string): string {
  const fields = column.streams.flatMap((stream) => stream.target_fields);
  const feeds = `mapped to ${fields.map((field) => `"${field}"`).join(', ')}`;
  if (column.change === 'removed') {
    const rename = column.renamed_to ? ` (renamed to "${column.renamed_to}"?)` : '';
    const renameTo = column.renamed_to ? ` to "${column.renamed_to}"` : '';
    return (
      `The column "${column.name}" of ${table}, ${feeds}, disappeared${rename}: the mapping ` +
      `needs a change. Remap ${fields.length > 1 ? 'those fields' : 'that field'}${renameTo}, ` +
      'or restore the column; deliveries wait until then.'
    );
  }
  return (
    `The column "${column.name}" of ${table}, ${feeds}, changed type from ` +
    `${column.previous_type} to ${column.current_type}: check the mapping, and remap if its ` +
    `values no longer fit.`
  );
}
