import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../scripts/receiver/parse-csv';
import { batchColumns, columnTypeOf } from './batch-columns';
import { csvField, renderBatchCsv } from './batch-csv';

const schema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: ['string', 'null'] },
    score: { type: 'integer' },
    tags: { type: 'array' },
  },
};

describe('csv batch files', () => {
  test('fields are quoted only when they must be, with quotes doubled', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Smith, Ada')).toBe('"Smith, Ada"');
    expect(csvField('said "hi"')).toBe('"said ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('carriage\rreturn')).toBe('"carriage\rreturn"');
    expect(csvField('Zoë 🚀')).toBe('Zoë 🚀');
  });

  test('NULL is an empty field and the empty string is "", so a reader can tell them apart', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField('')).toBe('""');
  });

  test('numbers, booleans and big integers are written exactly; objects and arrays as JSON text', () => {
    expect(csvField(42)).toBe('42');
    expect(csvField(0.5)).toBe('0.5');
    expect(csvField(false)).toBe('false');
    expect(csvField(9007199254740993n)).toBe('9007199254740993');
    expect(csvField({ plan: { tier: 'pro', seats: 3 } })).toBe(
      '"{""plan"":{""tier"":""pro"",""seats"":3}}"',
    );
    expect(csvField(['a', 'b'])).toBe('"[""a"",""b""]"');
  });

  test('a file has a header in record_schema order, extra keys after it, the deletion marker last, and CRLF line ends', () => {
    const items = [
      {
        recordId: '1',
        isDeleted: false,
        record: { name: 'Smith, Ada', id: '1', score: 7, tags: ['x'], extra: 'kept' },
      },
      { recordId: '2', isDeleted: true, record: { id: '2' } },
      { recordId: '3', isDeleted: false, record: { id: '3', name: null, score: 0, tags: [] } },
    ];
    const csv = renderBatchCsv(batchColumns(schema, items), items);
    expect(csv).toBe(
      [
        'id,name,score,tags,extra,_prequel_is_deleted',
        '1,"Smith, Ada",7,"[""x""]",kept,false',
        '2,,,,,true',
        '3,,0,[],,false',
        '',
      ].join('\r\n'),
    );
  });

  test('a standard CSV reader gets every value back, line breaks and quotes included', () => {
    const names = ['plain', 'Smith, Ada', 'said "hi"', 'two\r\nlines', 'Zoë 🚀', ''];
    const items = names.map((name, index) => ({
      recordId: String(index),
      isDeleted: false,
      record: { id: String(index), name },
    }));
    const table = parseCsv(renderBatchCsv(batchColumns(schema, items), items));
    expect(table.header).toEqual(['id', 'name', 'score', 'tags', '_prequel_is_deleted']);
    expect(table.rows.map((row) => row[1])).toEqual(names);
  });

  test('a column type comes from the property schema; anything but one scalar type is JSON', () => {
    expect(columnTypeOf({ type: 'string' })).toBe('string');
    expect(columnTypeOf({ type: ['integer', 'null'] })).toBe('integer');
    expect(columnTypeOf({ type: ['integer', 'number'] })).toBe('number');
    expect(columnTypeOf({ type: 'boolean' })).toBe('boolean');
    expect(columnTypeOf({ type: 'object', properties: {} })).toBe('json');
    expect(columnTypeOf({ type: ['string', 'integer'] })).toBe('json');
    expect(columnTypeOf({})).toBe('json');
    expect(columnTypeOf(true)).toBe('json');
  });
});
