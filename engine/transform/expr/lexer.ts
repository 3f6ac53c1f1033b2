// Splits expr-lang source into tokens, following the lexer of github.com/expr-lang/expr.
import { EXPR_OPERATOR_WORDS } from '../../../lib/prequel/contract/expr-words';

export type TokenKind = 'identifier' | 'number' | 'string' | 'operator' | 'bracket' | 'eof';

/**
 * `offset` and `end` are UTF-16 indices into the source, so editors can highlight them directly.
 */
export type Token = { kind: TokenKind; value: string; offset: number; end: number };

export type LexError = { message: string; offset: number };

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; error: LexError };

// expr-lang lexes these words as operators, so they can never name a column.
const keywordOperators = new Set(EXPR_OPERATOR_WORDS);

const simpleEscapes: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '?': '?',
};

const letterPattern = /[\p{L}_$]/u;
const alphanumericPattern = /[\p{L}\p{Nd}_$]/u;
const spacePattern = /\s/u;

class LexFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function tokenize(source: string): TokenizeResult {
  try {
    return { ok: true, tokens: new Lexer(source).run() };
  } catch (error) {
    if (error instanceof LexFailure)
      return { ok: false, error: { message: error.message, offset: error.offset } };
    throw error;
  }
}

class Lexer {
  private position = 0;
  private readonly tokens: Token[] = [];

  constructor(private readonly source: string) {}

  run(): Token[] {
    while (this.position < this.source.length) this.scanToken();
    this.tokens.push({
      kind: 'eof',
      value: '',
      offset: this.source.length,
      end: this.source.length,
    });
    return this.tokens;
  }

  private scanToken(): void {
    const start = this.position;
    const char = this.charAt(start);
    const next = this.source[start + 1] ?? '';

    if (spacePattern.test(char)) {
      this.position += char.length;
    } else if (char === '"' || char === "'") {
      this.scanQuotedString(char);
    } else if (char === '`') {
      this.scanRawString();
    } else if (isDigit(char) || (char === '.' && isDigit(next))) {
      this.scanNumber();
    } else if (char === '/' && (next === '/' || next === '*')) {
      this.skipComment(next);
    } else if (char === '#') {
      this.scanPointer();
    } else if (letterPattern.test(char)) {
      this.scanIdentifier();
    } else if ('()[]{}'.includes(char)) {
      this.emit('bracket', start, start + 1);
    } else {
      this.scanOperator(char, next);
    }
  }

  private scanOperator(char: string, next: string): void {
    const start = this.position;
    const twoChar = char + next;
    if (['?.', '??', '||', '..', '&&', '==', '!=', '<=', '>=', '**'].includes(twoChar)) {
      this.emit('operator', start, start + 2);
    } else if ('?|.:,;%+-^*/!=<>&'.includes(char)) {
      this.emit('operator', start, start + 1);
    } else {
      throw new LexFailure(`unrecognized character ${JSON.stringify(char)}`, start);
    }
  }

  private scanIdentifier(): void {
    const start = this.position;
    while (
      this.position < this.source.length &&
      alphanumericPattern.test(this.charAt(this.position))
    ) {
      this.position += this.charAt(this.position).length;
    }
    const word = this.source.slice(start, this.position);
    this.emit(keywordOperators.has(word) ? 'operator' : 'identifier', start, this.position);
  }

  // `#`, `#index` and `#acc` are predicate pointers; the name is a separate token as in expr-lang.
  private scanPointer(): void {
    this.emit('operator', this.position, this.position + 1);
    if (
      this.position < this.source.length &&
      alphanumericPattern.test(this.charAt(this.position))
    ) {
      this.scanIdentifier();
    }
  }

  private scanNumber(): void {
    const start = this.position;
    let digits = '0123456789_';
    if (this.source[this.position] === '0') {
      this.position++;
      const prefix = (this.source[this.position] ?? '').toLowerCase();
      if (prefix === 'x') digits = '0123456789abcdefABCDEF_';
      else if (prefix === 'o') digits = '01234567_';
      else if (prefix === 'b') digits = '01_';
      if (digits !== '0123456789_') this.position++;
    }
    this.acceptRun(digits);
    // `1..5` is a range, so a dot followed by another dot ends the number.
    if (this.source[this.position] === '.' && this.source[this.position + 1] !== '.') {
      this.position++;
      this.acceptRun(digits);
    }
    if (
      digits === '0123456789_' &&
      (this.source[this.position] === 'e' || this.source[this.position] === 'E')
    ) {
      this.position++;
      if (this.source[this.position] === '+' || this.source[this.position] === '-') this.position++;
      this.acceptRun(digits);
    }
    if (
      this.position < this.source.length &&
      alphanumericPattern.test(this.charAt(this.position))
    ) {
      throw new LexFailure(
        `bad number syntax: ${JSON.stringify(this.source.slice(start, this.position + 1))}`,
        start,
      );
    }
    this.emit('number', start, this.position);
  }

  private scanQuotedString(quote: string): void {
    const start = this.position;
    let value = '';
    this.position++;
    for (;;) {
      if (this.position >= this.source.length) throw new LexFailure('unterminated string', start);
      const char = this.charAt(this.position);
      if (char === quote) break;
      if (char === '\\') {
        value += this.readEscape();
      } else {
        // Newlines are normalised like expr-lang does, so CRLF sources give the same strings.
        if (char === '\r') {
          value += '\n';
          if (this.source[this.position + 1] === '\n') this.position++;
        } else {
          value += char;
        }
        this.position += char.length;
      }
    }
    this.position++;
    this.tokens.push({ kind: 'string', value, offset: start, end: this.position });
  }

  private readEscape(): string {
    const escapeStart = this.position;
    const code = this.source[this.position + 1];
    this.position += 2;
    if (code === undefined) throw new LexFailure('unterminated string', escapeStart);
    const replacement = Object.hasOwn(simpleEscapes, code) ? simpleEscapes[code] : undefined;
    if (replacement !== undefined) return replacement;
    const hexLength = code === 'x' || code === 'X' ? 2 : code === 'u' ? 4 : code === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = this.source.slice(this.position, this.position + hexLength);
      const codePoint = Number.parseInt(hex, 16);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length < hexLength || codePoint > 0x10ffff) {
        throw new LexFailure('invalid escape sequence in string', escapeStart);
      }
      this.position += hexLength;
      return String.fromCodePoint(codePoint);
    }
    if ('0123'.includes(code)) {
      const octal = code + this.source.slice(this.position, this.position + 2);
      if (!/^[0-3][0-7]{2}$/.test(octal))
        throw new LexFailure('invalid octal escape sequence in string', escapeStart);
      this.position += 2;
      return String.fromCodePoint(Number.parseInt(octal, 8));
    }
    throw new LexFailure(`invalid escape sequence \\${code} in string`, escapeStart);
  }

  private scanRawString(): void {
    const start = this.position;
    const close = this.source.indexOf('`', start + 1);
    if (close === -1) throw new LexFailure('unterminated string', start);
    this.position = close + 1;
    this.tokens.push({
      kind: 'string',
      value: this.source.slice(start + 1, close),
      offset: start,
      end: this.position,
    });
  }

  private skipComment(kind: string): void {
    const start = this.position;
    if (kind === '/') {
      const newline = this.source.indexOf('\n', start);
      this.position = newline === -1 ? this.source.length : newline + 1;
      return;
    }
    const close = this.source.indexOf('*/', start + 2);
    if (close === -1) throw new LexFailure('unclosed comment', start);
    this.position = close + 2;
  }

  private acceptRun(characters: string): void {
    while (
      this.position < this.source.length &&
      characters.includes(this.source[this.position] ?? '')
    )
      this.position++;
  }

  private emit(kind: TokenKind, start: number, end: number): void {
    this.tokens.push({ kind, value: this.source.slice(start, end), offset: start, end });
    this.position = end;
  }

  /** The whole code point at `index`, so identifiers may use letters outside the BMP. */
  private charAt(index: number): string {
    const codePoint = this.source.codePointAt(index);
    return codePoint === undefined ? '' : String.fromCodePoint(codePoint);
  }
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}
