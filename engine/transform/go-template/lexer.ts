// Splits Go text/template source into tokens, following Go's text/template/parse lexer (Go 1.23).
//
// Differences from Go, on purpose:
// - The whole input is tokenized up front; lexing stops at the first error, which becomes the last
//   token, so the parser still reports errors in source order like Go's lazy lexer.
// - `[N]` written right after a field, variable, `.`, `)` or another `[N]` is an `index` token:
//   Prequel's documentation uses `{{.Records[0].timezone}}`, which Go itself would reject.
import { formatRune, goQuote } from './go-quote';

export type TokenType =
  | 'error'
  | 'bool'
  | 'char' // a printable ASCII character that means nothing by itself, such as ',' or '@'
  | 'charConstant'
  | 'complex'
  | 'declare' // :=
  | 'assign' // =
  | 'eof'
  | 'field'
  | 'identifier'
  | 'index' // extension: [N]
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

export type Token = { type: TokenType; pos: number; value: string };

const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['block', 'block'],
  ['break', 'break'],
  ['continue', 'continue'],
  ['define', 'define'],
  ['else', 'else'],
  ['end', 'end'],
  ['if', 'if'],
  ['range', 'range'],
  ['nil', 'nil'],
  ['template', 'template'],
  ['with', 'with'],
]);

const KEYWORD_TYPES: ReadonlySet<TokenType> = new Set<TokenType>(['dot', ...KEYWORDS.values()]);

/** How Go's parser names a token in "unexpected ..." messages. */
export function describeToken(token: Token): string {
  if (token.type === 'eof') return 'EOF';
  if (token.type === 'error') return token.value;
  if (KEYWORD_TYPES.has(token.type)) return `<${token.value}>`;
  const runes = [...token.value];
  if (runes.length > 10) return `${goQuote(runes.slice(0, 10).join(''))}...`;
  return goQuote(token.value);
}

const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const TRIM_MARKER_LENGTH = 2; // "- " or " -"
const EOF = -1;

// Tokens after which `[N]` indexes the value just named (the Prequel extension).
const INDEXABLE: ReadonlySet<TokenType> = new Set<TokenType>([
  'field',
  'variable',
  'dot',
  'rightParen',
  'index',
]);

function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
}

const ALPHANUMERIC = /^[\p{L}\p{Nd}_]$/u;

function isAlphaNumeric(r: number): boolean {
  return r >= 0 && ALPHANUMERIC.test(String.fromCodePoint(r));
}

function isPrintableAscii(r: number): boolean {
  return r >= 0x20 && r < 0x7f;
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.charCodeAt(at) === 0x2d /* - */ && isSpace(s.charCodeAt(at + 1));
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return isSpace(s.charCodeAt(at)) && s.charCodeAt(at + 1) === 0x2d;
}

function leftTrimLength(s: string, from: number): number {
  let i = from;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i - from;
}

function rightTrimLength(s: string, start: number, end: number): number {
  let i = end;
  while (i > start && isSpace(s.charCodeAt(i - 1))) i--;
  return end - i;
}

type State = 'text' | 'leftDelim' | 'insideAction' | 'done';

class Lexer {
  private readonly tokens: Token[] = [];
  private pos = 0;
  private start = 0;
  private width = 0;
  private parenDepth = 0;
  private actionStart = 0;

  constructor(private readonly input: string) {}

  run(): Token[] {
    let state: State = 'text';
    while (state !== 'done') {
      if (state === 'text') state = this.lexText();
      else if (state === 'leftDelim') state = this.lexLeftDelim();
      else state = this.lexInsideAction();
    }
    return this.tokens;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos) ?? EOF;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private emit(type: TokenType): void {
    this.tokens.push({ type, pos: this.start, value: this.input.slice(this.start, this.pos) });
    this.start = this.pos;
  }

  private ignore(): void {
    this.start = this.pos;
  }

  private accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  private acceptRun(valid: string): void {
    while (this.accept(valid)) {
      // keep consuming
    }
  }

  private errorf(message: string, pos = this.start): State {
    this.tokens.push({ type: 'error', pos, value: message });
    return 'done';
  }

  private lexText(): State {
    const x = this.input.indexOf(LEFT_DELIM, this.pos);
    if (x < 0) {
      this.pos = this.input.length;
      if (this.pos > this.start) this.emit('text');
      this.emit('eof');
      return 'done';
    }
    this.pos = x;
    const trim = hasLeftTrimMarker(this.input, x + LEFT_DELIM.length)
      ? rightTrimLength(this.input, this.start, x)
      : 0;
    this.pos -= trim;
    if (this.pos > this.start) this.emit('text');
    this.pos += trim;
    this.ignore();
    return 'leftDelim';
  }

  private atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (this.input.startsWith(RIGHT_DELIM, this.pos)) return { delim: true, trimSpaces: false };
    if (
      hasRightTrimMarker(this.input, this.pos) &&
      this.input.startsWith(RIGHT_DELIM, this.pos + TRIM_MARKER_LENGTH)
    ) {
      return { delim: true, trimSpaces: true };
    }
    return { delim: false, trimSpaces: false };
  }

  private lexLeftDelim(): State {
    this.actionStart = this.pos;
    this.pos += LEFT_DELIM.length;
    const afterMarker = hasLeftTrimMarker(this.input, this.pos) ? TRIM_MARKER_LENGTH : 0;
    if (this.input.startsWith(LEFT_COMMENT, this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.ignore();
      return this.lexComment();
    }
    this.emit('leftDelim');
    this.pos += afterMarker;
    this.ignore();
    this.parenDepth = 0;
    return 'insideAction';
  }

  private lexComment(): State {
    this.pos += LEFT_COMMENT.length;
    const x = this.input.indexOf(RIGHT_COMMENT, this.pos);
    if (x < 0) return this.errorf('unclosed comment');
    this.pos = x + RIGHT_COMMENT.length;
    const { delim, trimSpaces } = this.atRightDelim();
    if (!delim) return this.errorf('comment ends before closing delimiter');
    if (trimSpaces) this.pos += TRIM_MARKER_LENGTH;
    this.pos += RIGHT_DELIM.length;
    if (trimSpaces) this.pos += leftTrimLength(this.input, this.pos);
    this.ignore();
    return 'text';
  }

  private lexRightDelim(trimSpaces: boolean): State {
    if (trimSpaces) {
      this.pos += TRIM_MARKER_LENGTH;
      this.ignore();
    }
    this.pos += RIGHT_DELIM.length;
    this.emit('rightDelim');
    if (trimSpaces) {
      this.pos += leftTrimLength(this.input, this.pos);
      this.ignore();
    }
    return 'text';
  }

  private lexInsideAction(): State {
    const { delim, trimSpaces } = this.atRightDelim();
    if (delim) {
      if (this.parenDepth === 0) return this.lexRightDelim(trimSpaces);
      return this.errorf('unclosed left paren');
    }
    const r = this.next();
    if (r === EOF) return this.errorf('unclosed action', this.actionStart);
    if (isSpace(r)) {
      this.backup(); // the space may belong to a " -}}" trim marker
      return this.lexSpace();
    }
    switch (r) {
      case 0x3d /* = */:
        this.emit('assign');
        return 'insideAction';
      case 0x3a /* : */:
        if (this.next() !== 0x3d) return this.errorf('expected :=');
        this.emit('declare');
        return 'insideAction';
      case 0x7c /* | */:
        this.emit('pipe');
        return 'insideAction';
      case 0x22 /* " */:
        return this.lexQuote();
      case 0x60 /* ` */:
        return this.lexRawQuote();
      case 0x24 /* $ */:
        return this.lexVariable();
      case 0x27 /* ' */:
        return this.lexChar();
      case 0x28 /* ( */:
        this.emit('leftParen');
        this.parenDepth++;
        return 'insideAction';
      case 0x29 /* ) */:
        this.emit('rightParen');
        this.parenDepth--;
        if (this.parenDepth < 0) return this.errorf(`unexpected right paren ${formatRune(r)}`);
        return 'insideAction';
      case 0x5b /* [ */:
        if (INDEXABLE.has(this.tokens[this.tokens.length - 1]?.type ?? 'eof'))
          return this.lexIndex();
        break;
      case 0x2e /* . */: {
        // ".field" unless a digit follows, in which case it starts a number like ".5".
        const following = this.input.charCodeAt(this.pos);
        if (Number.isNaN(following) || following < 0x30 || following > 0x39)
          return this.lexFieldOrVariable('field');
        this.backup();
        return this.lexNumber();
      }
    }
    if (r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
      this.backup();
      return this.lexNumber();
    }
    if (isAlphaNumeric(r)) {
      this.backup();
      return this.lexIdentifier();
    }
    if (isPrintableAscii(r)) {
      this.emit('char');
      return 'insideAction';
    }
    return this.errorf(`unrecognized character in action: ${formatRune(r)}`);
  }

  private lexSpace(): State {
    let spaces = 0;
    while (isSpace(this.peek())) {
      this.next();
      spaces++;
    }
    // " -}}" closes the action with a trim marker: the space before '-' belongs to the marker.
    if (
      hasRightTrimMarker(this.input, this.pos - 1) &&
      this.input.startsWith(RIGHT_DELIM, this.pos - 1 + TRIM_MARKER_LENGTH)
    ) {
      this.pos--;
      if (spaces === 1) return this.lexRightDelim(true);
    }
    this.emit('space');
    return 'insideAction';
  }

  private lexIdentifier(): State {
    for (;;) {
      const r = this.next();
      if (isAlphaNumeric(r)) continue;
      this.backup();
      if (!this.atTerminator()) return this.errorf(`bad character ${formatRune(r)}`);
      const word = this.input.slice(this.start, this.pos);
      const keyword = KEYWORDS.get(word);
      if (keyword) this.emit(keyword);
      else if (word === 'true' || word === 'false') this.emit('bool');
      else this.emit('identifier');
      return 'insideAction';
    }
  }

  private lexVariable(): State {
    if (this.atTerminator()) {
      this.emit('variable'); // a lone "$"
      return 'insideAction';
    }
    return this.lexFieldOrVariable('variable');
  }

  private lexFieldOrVariable(type: 'field' | 'variable'): State {
    if (this.atTerminator()) {
      this.emit(type === 'variable' ? 'variable' : 'dot');
      return 'insideAction';
    }
    let r: number;
    for (;;) {
      r = this.next();
      if (!isAlphaNumeric(r)) {
        this.backup();
        break;
      }
    }
    if (!this.atTerminator()) return this.errorf(`bad character ${formatRune(r)}`);
    this.emit(type);
    return 'insideAction';
  }

  /**
   * Whether the input is at a character that may follow an identifier; '[' only for the index
   * extension.
   */
  private atTerminator(): boolean {
    const r = this.peek();
    if (r === EOF || isSpace(r)) return true;
    switch (r) {
      case 0x2e: // .
      case 0x2c: // ,
      case 0x7c: // |
      case 0x3a: // :
      case 0x29: // )
      case 0x28: // (
      case 0x5b: // [
        return true;
    }
    return r === RIGHT_DELIM.charCodeAt(0);
  }

  private lexIndex(): State {
    const close = this.input.indexOf(']', this.pos);
    const inside = close < 0 ? '' : this.input.slice(this.pos, close);
    if (close < 0 || !/^[0-9]+$/.test(inside)) {
      return this.errorf('bad index: only [N] with a non-negative integer N may follow a field');
    }
    this.pos = close + 1;
    this.emit('index');
    return 'insideAction';
  }

  private lexChar(): State {
    for (;;) {
      let r = this.next();
      if (r === 0x5c /* \ */) {
        r = this.next();
        if (r !== EOF && r !== 0x0a) continue;
      }
      if (r === EOF || r === 0x0a) return this.errorf('unterminated character constant');
      if (r === 0x27) break;
    }
    this.emit('charConstant');
    return 'insideAction';
  }

  private lexNumber(): State {
    if (!this.scanNumber())
      return this.errorf(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
    const sign = this.peek();
    if (sign === 0x2b || sign === 0x2d) {
      // Complex: 1+2i. No spaces, must end in 'i'.
      if (!this.scanNumber() || this.input[this.pos - 1] !== 'i') {
        return this.errorf(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
      }
      this.emit('complex');
    } else {
      this.emit('number');
    }
    return 'insideAction';
  }

  private scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  private lexQuote(): State {
    for (;;) {
      let r = this.next();
      if (r === 0x5c) {
        r = this.next();
        if (r !== EOF && r !== 0x0a) continue;
      }
      if (r === EOF || r === 0x0a) return this.errorf('unterminated quoted string');
      if (r === 0x22) break;
    }
    this.emit('string');
    return 'insideAction';
  }

  private lexRawQuote(): State {
    const close = this.input.indexOf('`', this.pos);
    if (close < 0) return this.errorf('unterminated raw quoted string');
    this.pos = close + 1;
    this.emit('rawString');
    return 'insideAction';
  }
}

export function lexTemplate(input: string): Token[] {
  return new Lexer(input).run();
}
