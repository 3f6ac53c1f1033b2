// What every source reader yields: a CSV file of rows in the dataset's column order, and where
// reading stands.
import type { Cursor, ReadMode } from './read-plan';

export interface SourceChunk {
  csvPath: string;
  rows: number;
  /** Where the next run may resume once this chunk is committed (already capped by the lag). */
  cursor: Cursor | null;
}

export interface ChunkReader {
  /** Source columns in CSV order. */
  columns: string[];
  estimatedRows: number | null;
  chunks(): AsyncGenerator<SourceChunk>;
  /**
   * Writes every primary key the source has now to a one-column CSV (hard-delete reconciliation).
   */
  writeAllKeys?(csvPath: string): Promise<number>;
  close(): Promise<void>;
}

/** What every keyset table reader needs besides its connection and the table's namespace. */
export interface KeysetReadOptions {
  table: string;
  columns: string[];
  mode: Exclude<ReadMode, { kind: 'query' }>;
  /**
   * Whether the ordering column holds times (then the clock bounds the run and the lag applies).
   */
  orderIsTime: boolean;
  cursor: Cursor | null;
  chunkRows: number;
  lagSeconds: number;
  workDir: string;
}
