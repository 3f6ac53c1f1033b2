// Everything the map step shows for one destination: its fields, the chosen dataset's columns with
// sample values, the saved mapping, and suggestions for what is not mapped yet.
import 'server-only';
import type { Dataset } from '@/lib/prequel/contract/dataset';
import type { Destination } from '@/lib/prequel/contract/destination';
import { RECORD_ID_FIELD } from '@/lib/prequel/contract/records';
import type { Mapping, Stream } from '@/lib/prequel/contract/stream';
import { failure, type PrequelResult } from '@/lib/prequel/client';
import { sampleRecords } from '@/lib/prequel/datasets';
import { getSourceSchema } from '@/lib/prequel/sources';
import type { ColumnInfo } from '@/lib/mapping/suggest-mappings';
import { suggestMappings, type Suggestion } from '@/lib/mapping/suggest-mappings';
import { type TargetField, targetFieldsOf } from '@/lib/mapping/target-fields';

export type MappingContext = {
  fields: TargetField[];
  columns: ColumnInfo[];
  /** Ids of the sampled records the preview transforms. */
  sampleRecordIds: string[];
  saved: Mapping[] | null;
  suggestions: Suggestion[];
  /** (ext) Columns that appeared since the mappings were last saved: offered as new. */
  newColumns: string[];
  /**
   * (ext) Columns this mapping reads that are gone from the source, with the fields they fed and
   * their likely new name.
   */
  goneColumns: { name: string; renamedTo: string | null; fields: string[] }[];
};

const SAMPLE_SIZE = 20;
const PREVIEW_RECORDS = 5;

/** The dataset's columns and types, asked of the source the way the dataset reads it. */
async function datasetColumns(
  dataset: Dataset,
): Promise<PrequelResult<{ name: string; prequel_type: ColumnInfo['prequel_type'] }[]>> {
  const body = dataset as Dataset & {
    table?: { source_table_namespace: string; source_table_name: string };
    sql?: { query: string };
  };
  if (body.method === 'table' && body.table)
    return getSourceSchema(dataset.source_id, { method: 'table', table: body.table });
  if (body.method === 'sql' && body.sql)
    return getSourceSchema(dataset.source_id, { method: 'sql', sql: body.sql });
  return failure(
    'not_supported',
    'This dataset is read in a way the mapping step cannot describe yet.',
  );
}

/** The column a dataset tells records apart by; the API returns it in the type's own block. */
function keyColumnOf(dataset: Dataset): string | null {
  const body = dataset as Dataset & {
    dimension?: { primary_key_column?: string };
    fact?: { primary_key_column?: string };
  };
  return body.dimension?.primary_key_column ?? body.fact?.primary_key_column ?? null;
}

export async function loadMappingContext(
  destination: Destination,
  dataset: Dataset,
  stream: Stream | null,
): Promise<PrequelResult<MappingContext>> {
  const [columns, sample] = await Promise.all([
    datasetColumns(dataset),
    sampleRecords(dataset.id, SAMPLE_SIZE),
  ]);
  if (!columns.ok) return columns;
  // No records yet (the first import is still running) is not an error: suggestions then go by name
  // and type.
  const records = sample.ok ? sample.data.records : [];
  const infos: ColumnInfo[] = columns.data.map((column) => ({
    name: column.name,
    prequel_type: column.prequel_type,
    samples: records.map((record) => record[column.name]).filter((value) => value !== undefined),
  }));
  const fields = targetFieldsOf(destination.record_schema);
  return {
    ok: true,
    data: {
      fields,
      columns: infos,
      sampleRecordIds: records
        .slice(0, PREVIEW_RECORDS)
        .map((record) => String(record[RECORD_ID_FIELD])),
      saved: stream ? stream.mappings : null,
      suggestions: suggestMappings(fields, infos, { keyColumn: keyColumnOf(dataset) }),
      newColumns: dataset.schema_drift?.new_columns ?? [],
      goneColumns: (dataset.schema_drift?.columns ?? []).flatMap((column) => {
        const reader =
          column.change === 'removed'
            ? column.streams.find((candidate) => candidate.stream_id === stream?.id)
            : undefined;
        return reader
          ? [{ name: column.name, renamedTo: column.renamed_to, fields: reader.target_fields }]
          : [];
      }),
    },
  };
}
