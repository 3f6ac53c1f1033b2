// Previews call with the same stream over and over while a person edits one mapping: compiling the
// record_schema with ajv costs more than transforming 50 records, so compiled transforms are kept,
// by content.
import type { SchemaColumn } from '../../../lib/prequel/contract/source-actions';
import type { Mapping } from '../../../lib/prequel/contract/stream';
import { compileMappings } from './compile-mappings';

const MAX_ENTRIES = 100;

type Compiled = ReturnType<typeof compileMappings>;
export type TransformCache = (
  mappings: readonly Mapping[],
  recordSchema: Record<string, unknown>,
  columns: readonly SchemaColumn[] | null,
) => Compiled;

/**
 * compileMappings with a bounded cache keyed by the inputs' JSON; a compiled transform holds no
 * per-call state.
 */
export function createTransformCache(maxEntries = MAX_ENTRIES): TransformCache {
  const entries = new Map<string, Compiled>();
  return (mappings, recordSchema, columns) => {
    const key = JSON.stringify([mappings, recordSchema, columns]);
    const cached = entries.get(key);
    if (cached) {
      // Re-inserting makes the Map's insertion order a least-recently-used order.
      entries.delete(key);
      entries.set(key, cached);
      return cached;
    }
    const compiled = compileMappings(mappings, recordSchema, columns);
    entries.set(key, compiled);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    return compiled;
  };
}
