import { describe, expect, it } from 'vitest';
import { copyChunks, copyLine } from './copy-text';
import { eventsTable } from './sample-tables';

describe('copyLine', () => {
  it('escapes what COPY text format treats specially and marks NULL', () => {
    const line = copyLine(
      ['1', 'a\tb\nc\rd\\e', null, '2026-01-01 00:00:00.000001', '{"q":"x\\"y"}'],
      ['integer', 'text', 'text', 'timestamp', 'json'],
    );
    expect(line).toBe(
      '1\ta\\tb\\nc\\rd\\\\e\t\\N\t2026-01-01 00:00:00.000001+00\t{"q":"x\\\\"y"}\n',
    );
  });

  it('keeps an empty string distinct from NULL and a literal \\N as text', () => {
    expect(copyLine(['', '\\N', null], ['text', 'text', 'text'])).toBe('\t\\\\N\t\\N\n');
  });
});

describe('copyChunks', () => {
  it('groups whole lines into chunks of about the requested size', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [
      String(i),
      '1',
      '2026-01-01 00:00:00.000000',
      'click',
      '{}',
    ]);
    const chunks = [...copyChunks(eventsTable, rows, 1024)];
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    expect(chunks.join('').split('\n')).toHaveLength(1001);
  });
});
