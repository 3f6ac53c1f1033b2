// Reads a SQL dataset: the user's query runs through the extended protocol (one statement only) in a read-only
// transaction with a statement timeout, never spliced into COPY or any SQL of ours.
import path from 'node:path';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import { CsvFileWriter } from './csv-writer';
import { postgresPrequelType } from './postgres-columns';
import type { ChunkReader, SourceChunk } from './source-chunks';

const TEXT_OID_NAMES: Record<number, string> = { 16: 'boolean', 20: 'bigint', 21: 'smallint', 23: 'integer', 25: 'text', 114: 'json', 700: 'real', 701: 'double precision', 1043: 'character varying', 1082: 'date', 1114: 'timestamp without time zone', 1184: 'timestamp with time zone', 1700: 'numeric', 2950: 'uuid', 3802: 'jsonb', 17: 'bytea' };

export async function openPostgresQueryReader(options: { client: pg.Client; query: string; chunkRows: number; workDir: string; timeoutMs?: number }): Promise<ChunkReader & { schema: SchemaColumn[] }> {
  const { client, chunkRows, workDir } = options;
  await client.query(`set TimeZone = 'UTC'; set DateStyle = 'ISO, YMD'; set extra_float_digits = 3`);
  await client.query('begin transaction isolation level repeatable read read only');
  await client.query(`set local statement_timeout = ${Math.floor(options.timeoutMs ?? 30 * 60_000)}`);
  const stream = client.query(new QueryStream(options.query, [], { batchSize: 2000, rowMode: 'array' }));
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<(string | null)[]>;
  // The first row (or the end) carries the row description: the columns of the query.
  const first = await iterator.next();
  const fields = (stream as unknown as { cursor: { _result: { fields: { name: string; dataTypeID: number }[] } } }).cursor._result.fields;
  const schema: SchemaColumn[] = fields.map((field, index) => {
    const raw = TEXT_OID_NAMES[field.dataTypeID] ?? 'text';
    return { name: field.name, raw_type: raw, prequel_type: postgresPrequelType(raw), ordinal_position: index + 1, is_nullable: true };
  });

  async function* chunks(): AsyncGenerator<SourceChunk> {
    let pending = first;
    for (let part = 1; !pending.done; part++) {
      const writer = new CsvFileWriter(path.join(workDir, `query-${part}.csv`));
      while (!pending.done && writer.rows < chunkRows) {
        await writer.write(pending.value);
        pending = await iterator.next();
      }
      await writer.close();
      yield { csvPath: writer.path, rows: writer.rows, cursor: null };
    }
    await client.query('commit');
  }

  return {
    columns: schema.map((column) => column.name),
    schema,
    estimatedRows: null,
    chunks,
    close: async () => {
      await client.end().catch(() => {});
    },
  };
}
