// Pure: CSV text (RFC 4180: quoted fields, "" escapes, line breaks inside quotes, CRLF or LF) →
// header and rows.

export interface CsvTable {
  header: string[];
  rows: string[][];
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
    this.name = 'CsvError';
  }
}

/**
 * The first row is the header; lines with no characters at all are skipped (a trailing newline is
 * one).
 */
export function parseCsv(text: string): CsvTable {
  const records: string[][] = [];
  const startLines: number[] = [];
  let row: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  // A field that started with a quote stays quoted until its closing quote; any other quote inside
  // is an error.
  let quoted = false;
  let afterClosingQuote = false;
  let rowHasContent = false;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endField = () => {
    row.push(field);
    field = '';
    afterClosingQuote = false;
  };
  const endRow = () => {
    endField();
    if (rowHasContent) {
      records.push(row);
      startLines.push(recordLine);
    }
    row = [];
    rowHasContent = false;
    recordLine = line;
  };

  for (let index = start; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index++;
        } else {
          quoted = false;
          afterClosingQuote = true;
        }
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === ',') {
      rowHasContent = true;
      endField();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      line++;
      endRow();
    } else if (afterClosingQuote) {
      throw new CsvError('Unexpected character after a closing quote', line);
    } else if (char === '"') {
      if (field !== '') throw new CsvError('A quote inside an unquoted field', line);
      quoted = true;
      rowHasContent = true;
    } else {
      field += char;
      rowHasContent = true;
    }
  }
  if (quoted) throw new CsvError('A quoted field is not closed', recordLine);
  endRow();

  const [header = [], ...rows] = records;
  rows.forEach((cells, position) => {
    if (cells.length !== header.length)
      throw new CsvError(
        `Row ${position + 1} has ${cells.length} fields; the header has ${header.length}`,
        startLines[position + 1]!,
      );
  });
  return { header, rows };
}

/** Rows as objects keyed by the header's column names. */
export function csvRecords(table: CsvTable): Record<string, string>[] {
  return table.rows.map((cells) =>
    Object.fromEntries(table.header.map((name, column) => [name, cells[column]!])),
  );
}
