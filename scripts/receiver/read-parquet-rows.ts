// Reads Parquet batch files with one DuckDB instance per receiver, opened on first use (most runs
// never need it).
import { DuckDBInstance } from '@duckdb/node-api';
import type { JsonValue } from './json-value';

export interface ParquetReader {
  /** Every row as JSON values; DuckDB gives big integers and decimals as exact strings. */
  readRows(file: string): Promise<JsonValue[]>;
  close(): void;
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

export function createParquetReader(): ParquetReader {
  let instance: Promise<DuckDBInstance> | null = null;
  return {
    async readRows(file) {
      // No extension downloads: the receiver must work offline, and Parquet is built in.
      instance ??= DuckDBInstance.create(':memory:', {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        threads: '1',
        memory_limit: '256MB',
      });
      const connection = await (await instance).connect();
      try {
        const reader = await connection.runAndReadAll(
          `select * from read_parquet(${literal(file)})`,
        );
        return reader.getRowObjectsJson() as JsonValue[];
      } finally {
        connection.closeSync();
      }
    },
    close() {
      const opened = instance;
      instance = null;
      void opened?.then((db) => db.closeSync()).catch(() => {});
    },
  };
}
