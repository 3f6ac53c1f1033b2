// Reads a SQL dataset through the sources module's guarded cursor (extended protocol, one
// statement, read-only, bounded by a timeout) into CSV chunks; user SQL never reaches COPY or any
// SQL of ours.
import path from 'node:path';
import type pg from 'pg';
import { openSqlCursor } from '../sources/postgres/sql-cursor';
import { CsvFileWriter } from './csv-writer';
import type { ChunkReader, SourceChunk } from './source-chunks';

export async function openPostgresQueryReader(options: {
  client: pg.Client;
  query: string;
  columns: string[];
  chunkRows: number;
  workDir: string;
  timeoutMs: number;
}): Promise<ChunkReader> {
  const { client, chunkRows, workDir } = options;
  const cursor = await openSqlCursor(client, options.query, {
    timeoutMs: options.timeoutMs,
    batchRows: 5000,
  });

  async function* chunks(): AsyncGenerator<SourceChunk> {
    let writer: CsvFileWriter | null = null;
    let part = 0;
    try {
      for await (const batch of cursor.batches()) {
        for (const row of batch) {
          writer ??= new CsvFileWriter(path.join(workDir, `query-${++part}.csv`));
          await writer.write(row);
          if (writer.rows >= chunkRows) {
            await writer.close();
            yield { csvPath: writer.path, rows: writer.rows, cursor: null };
            writer = null;
          }
        }
      }
      if (writer) {
        await writer.close();
        yield { csvPath: writer.path, rows: writer.rows, cursor: null };
      }
    } finally {
      await cursor.close();
    }
  }

  return {
    columns: options.columns,
    estimatedRows: null,
    chunks,
    close: async () => {
      await client.end().catch(() => {});
    },
  };
}
