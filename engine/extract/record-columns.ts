// Records the columns an extract found on its dataset, with how they drifted from what the
// dataset's streams map (schema-drift.ts): streams that read a column that is gone stop loading
// automatically (is_valid) until remapped or restored, rather than fail load after load, and the
// operator hears of each new problem once (dataset.schema_changed).
import type { SchemaDrift } from '../../lib/prequel/contract/dataset';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import type { Mapping } from '../../lib/prequel/contract/stream';
import type { EngineContext } from '../engine-context';
import { notify } from '../events/monitoring-events';
import { withTransaction } from '../store/db';
import { validateMappings } from '../validation/validate-mappings';
import { describeDrift, detectDrift, newProblems } from './schema-drift';

interface DatasetColumnsRow {
  columns: SchemaColumn[] | null;
  schema_drift: SchemaDrift | null;
  provider_id: string;
  name: string | null;
}

export async function recordColumns(
  engine: EngineContext,
  datasetId: string,
  current: SchemaColumn[],
): Promise<void> {
  const news = await withTransaction(engine.db, async (client) => {
    const dataset = (
      await client.query<DatasetColumnsRow>(
        `select columns, schema_drift, provider_id, body->>'name' as name from datasets where id ` +
          `= $1 for update`,
        [datasetId],
      )
    ).rows[0];
    if (!dataset) return null;
    const streams = (
      await client.query<{ id: string; mappings: Mapping[]; record_schema: unknown }>(
        `select s.id, s.body->'mappings' as mappings, d.body->'record_schema' as record_schema ` +
          `from streams s join destinations d on d.id = s.destination_id where s.dataset_id = $1`,
        [datasetId],
      )
    ).rows;
    const drift = detectDrift(dataset.columns, current, streams, dataset.schema_drift);
    await client.query('update datasets set columns = $2, schema_drift = $3 where id = $1', [
      datasetId,
      JSON.stringify(current),
      drift === null ? null : JSON.stringify(drift),
    ]);
    // A stream whose mapping reads a column that is gone would fail every load: it waits, invalid,
    // until fixed.
    const names = current.map((column) => column.name);
    for (const stream of streams) {
      const valid = validateMappings(stream.mappings, stream.record_schema, names).length === 0;
      await client.query('update streams set is_valid = $2 where id = $1 and is_valid <> $2', [
        stream.id,
        valid,
      ]);
    }
    return { problems: newProblems(dataset.schema_drift, drift), dataset };
  });
  if (!news?.problems.length) return;
  const table = news.dataset.name ?? 'the dataset';
  const message = news.problems.map((column) => describeDrift(column, table)).join(' ');
  engine.logger.warn('dataset schema changed', {
    dataset_id: datasetId,
    columns: news.problems.map((column) => `${column.change}:${column.name}`),
  });
  notify(engine, 'dataset.schema_changed', {
    dataset_id: datasetId,
    provider_id: news.dataset.provider_id,
    columns: news.problems,
    message,
  });
}
