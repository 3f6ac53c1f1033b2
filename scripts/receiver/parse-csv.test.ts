import { describe, expect, it } from 'vitest';
import { CsvError, csvRecords, parseCsv } from './parse-csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, escaped quotes and line breaks', () => {
    const text = 'id,name,note\r\n1,"Smith, Ada","said ""hi"""\r\n2,Bob,"two\nlines"\r\n3,,""\r\n';
    expect(parseCsv(text)).toEqual({
      header: ['id', 'name', 'note'],
      rows: [
        ['1', 'Smith, Ada', 'said "hi"'],
        ['2', 'Bob', 'two\nlines'],
        ['3', '', ''],
      ],
    });
  });

  it('takes LF or CRLF, a byte-order mark, and no final newline', () => {
    expect(parseCsv('\ufeffid,v\n1,a\r\n2,b').rows).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
  });

  it('gives rows as objects by column name', () => {
    expect(csvRecords(parseCsv('id,_prequel_is_deleted\n7,true\n'))).toEqual([
      { id: '7', _prequel_is_deleted: 'true' },
    ]);
  });

  it('has no rows for a header alone or an empty file', () => {
    expect(parseCsv('id,name\n')).toEqual({ header: ['id', 'name'], rows: [] });
    expect(parseCsv('')).toEqual({ header: [], rows: [] });
  });

  it('reports malformed input with its line', () => {
    expect(() => parseCsv('id,v\n1,"open\n2,b\n')).toThrow(
      new CsvError('A quoted field is not closed', 2),
    );
    expect(() => parseCsv('id,v\n1,"a"b\n')).toThrow(/after a closing quote \(line 2\)/);
    expect(() => parseCsv('id,v\n1,a"b\n')).toThrow(/quote inside an unquoted field/);
    expect(() => parseCsv('id,v\n1,"x\ny"\n2\n')).toThrow(
      /Row 2 has 1 fields; the header has 2 \(line 4\)/,
    );
  });
});
