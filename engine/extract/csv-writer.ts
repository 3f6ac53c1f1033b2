// Writes rows of text values as CSV in the form Postgres COPY produces: NULL unquoted-empty,
// strings always quoted.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export function csvLine(values: readonly (string | null)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ',';
    const value = values[i];
    if (value === null || value === undefined) continue;
    line += `"${value.includes('"') ? value.replaceAll('"', '""') : value}"`;
  }
  return `${line}\n`;
}

export class CsvFileWriter {
  private readonly stream: WriteStream;
  rows = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { highWaterMark: 1 << 20 });
  }

  /** Resolves when the OS buffer has room again (backpressure). */
  async write(values: readonly (string | null)[]): Promise<void> {
    this.rows++;
    if (!this.stream.write(csvLine(values))) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
