// Builds the parse tree of a Go text/template, following Go's text/template/parse (Go 1.23) and its
// error messages. Nesting is bounded so that hostile templates fail with an error, not a stack
// overflow.
import { goQuote } from './go-quote';
import { describeToken, lexTemplate, type Token, type TokenType } from './lexer';

export type TemplateError = {
  message: string;
  position: { offset: number; line: number; column: number };
};

/** One step of a field chain: `.name`, or `[N]` (the Prequel extension). */
export type Segment = { kind: 'field'; name: string } | { kind: 'index'; index: number };

export type FieldNode = { type: 'field'; pos: number; path: Segment[] };
export type VariableNode = { type: 'variable'; pos: number; name: string; path: Segment[] };
export type ChainNode = { type: 'chain'; pos: number; base: OperandNode; path: Segment[] };
export type IdentifierNode = { type: 'identifier'; pos: number; name: string };
export type DotNode = { type: 'dot'; pos: number };
export type NilNode = { type: 'nil'; pos: number };
export type BoolNode = { type: 'bool'; pos: number; value: boolean };
/**
 * Go's ideal constants: ints beyond int64 but within uint64 parse, and fail when used (as in Go).
 */
export type NumberValue =
  { kind: 'int'; value: bigint } | { kind: 'float'; value: number } | { kind: 'overflow' };
export type NumberNode = { type: 'number'; pos: number; text: string; value: NumberValue };
export type StringNode = { type: 'string'; pos: number; quoted: string; value: string };
export type PipeNode = {
  type: 'pipe';
  pos: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
};
export type CommandNode = { type: 'command'; pos: number; args: OperandNode[] };
export type OperandNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export type TextNode = { type: 'text'; pos: number; text: string };
export type ActionNode = { type: 'action'; pos: number; pipe: PipeNode };
export type BranchNode = {
  type: 'if' | 'with' | 'range';
  pos: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
};
export type TemplateNode = { type: 'template'; pos: number; name: string; pipe: PipeNode | null };
export type LoopControlNode = { type: 'break' | 'continue'; pos: number };
export type Node = TextNode | ActionNode | BranchNode | TemplateNode | LoopControlNode;
export type ListNode = { type: 'list'; pos: number; nodes: Node[] };

export type ParsedTemplate = {
  name: string;
  source: string;
  /** Every template by name: the main one plus those from {{define}} and {{block}}. */
  templates: ReadonlyMap<string, ListNode>;
};

// Control structures, {{define}} bodies and parentheses share one bound; 200 is far beyond any real
// request template and keeps parsing and execution well inside the JS stack.
export const MAX_NESTING_DEPTH = 200;

type EndMarker = { type: 'end'; pos: number };
type ElseMarker = { type: 'else'; pos: number };
type ListItem = Node | EndMarker | ElseMarker;

class ParseError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

function markerString(marker: EndMarker | ElseMarker): string {
  return marker.type === 'end' ? '{{end}}' : '{{else}}';
}

export function positionOf(source: string, offset: number): TemplateError['position'] {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private lastToken: Token;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private depth = 0;
  private readonly templates = new Map<string, ListNode>();

  constructor(
    private readonly source: string,
    private readonly functions: ReadonlySet<string>,
  ) {
    this.tokens = lexTemplate(source);
    this.lastToken = this.tokens[0] ?? { type: 'eof', pos: 0, value: '' };
  }

  parse(name: string): ReadonlyMap<string, ListNode> {
    const root: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const mark = this.index;
        const delim = this.next();
        if (this.nextNonSpace().type === 'define') {
          this.parseDefinition(delim.pos);
          continue;
        }
        this.index = mark;
      }
      const item = this.textOrAction();
      if (item.type === 'end' || item.type === 'else')
        this.errorf(`unexpected ${markerString(item)}`, item.pos);
      root.nodes.push(item);
    }
    this.add(name, root);
    return this.templates;
  }

  // --- token stream -------------------------------------------------------------------------

  private next(): Token {
    const token = this.tokens[Math.min(this.index, this.tokens.length - 1)] ?? {
      type: 'eof',
      pos: this.source.length,
      value: '',
    };
    if (this.index < this.tokens.length) this.index++;
    this.lastToken = token;
    return token;
  }

  private backup(): void {
    this.index--;
  }

  private peek(): Token {
    const token = this.next();
    this.backup();
    return token;
  }

  private nextNonSpace(): Token {
    let token = this.next();
    while (token.type === 'space') token = this.next();
    return token;
  }

  /** Skips spaces and returns the next token without consuming it. */
  private peekNonSpace(): Token {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  private errorf(message: string, pos: number = this.lastToken.pos): never {
    throw new ParseError(message, pos);
  }

  private unexpected(token: Token, context: string): never {
    if (token.type === 'error') this.errorf(token.value, token.pos);
    this.errorf(`unexpected ${describeToken(token)} in ${context}`, token.pos);
  }

  private expect(type: TokenType, context: string): Token {
    const token = this.nextNonSpace();
    if (token.type !== type) this.unexpected(token, context);
    return token;
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_NESTING_DEPTH)
      this.errorf(`template nesting exceeds ${MAX_NESTING_DEPTH} levels`, pos);
  }

  private leave(): void {
    this.depth--;
  }

  // --- templates -----------------------------------------------------------------------------

  private add(name: string, root: ListNode): void {
    const existing = this.templates.get(name);
    if (!existing || isEmptyTree(existing)) {
      this.templates.set(name, root);
      return;
    }
    if (!isEmptyTree(root))
      this.errorf(`multiple definition of template ${goQuote(name)}`, root.pos);
  }

  /**
   * Parses a body in a fresh scope, as Go parses {{define}} and {{block}} bodies as separate trees.
   */
  private parseBody(context: string, opening: { keyword: string; pos: number }): ListNode {
    const savedVars = this.vars;
    const savedRangeDepth = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    this.enter(opening.pos);
    const [list, next] = this.itemList(opening);
    if (next.type !== 'end')
      this.errorf(`unexpected ${markerString(next)} in ${context}`, next.pos);
    this.leave();
    this.vars = savedVars;
    this.rangeDepth = savedRangeDepth;
    return list;
  }

  private parseDefinition(pos: number): void {
    const context = 'define clause';
    const nameToken = this.nextNonSpace();
    if (nameToken.type !== 'string' && nameToken.type !== 'rawString')
      this.unexpected(nameToken, context);
    const name = this.unquote(nameToken);
    this.expect('rightDelim', context);
    this.add(name, this.parseBody(context, { keyword: 'define', pos }));
  }

  private itemList(opening: { keyword: string; pos: number }): [ListNode, EndMarker | ElseMarker] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const item = this.textOrAction();
      if (item.type === 'end' || item.type === 'else') return [list, item];
      list.nodes.push(item);
    }
    this.errorf(`unexpected EOF: missing {{end}} for {{${opening.keyword}}}`, opening.pos);
  }

  private textOrAction(): ListItem {
    const token = this.nextNonSpace();
    if (token.type === 'text') return { type: 'text', pos: token.pos, text: token.value };
    if (token.type === 'leftDelim') return this.action(token.pos);
    this.unexpected(token, 'input');
  }

  private action(delimPos: number): ListItem {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'block':
        return this.blockControl(delimPos);
      case 'break':
      case 'continue':
        return this.loopControl(token);
      case 'else':
        return this.elseControl(delimPos);
      case 'end':
        this.expect('rightDelim', 'end');
        return { type: 'end', pos: delimPos };
      case 'if':
      case 'range':
      case 'with':
        return this.branchControl(token.type, delimPos);
      case 'template':
        return this.templateControl();
    }
    this.backup();
    const start = this.peek();
    return { type: 'action', pos: start.pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private loopControl(keyword: Token): LoopControlNode {
    const name = keyword.type === 'break' ? 'break' : 'continue';
    const token = this.nextNonSpace();
    if (token.type !== 'rightDelim') this.unexpected(token, `{{${name}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${name}}} outside {{range}}`, keyword.pos);
    return { type: name, pos: keyword.pos };
  }

  private elseControl(delimPos: number): ElseMarker {
    // "{{else if ..." and "{{else with ..." leave the keyword pending for branchControl.
    const peek = this.peekNonSpace();
    if (peek.type !== 'if' && peek.type !== 'with') this.expect('rightDelim', 'else');
    return { type: 'else', pos: delimPos };
  }

  private branchControl(context: 'if' | 'with' | 'range', delimPos: number): BranchNode {
    this.enter(delimPos);
    const varsMark = this.vars.length;
    const pipe = this.pipeline(context, 'rightDelim');
    if (context === 'range') this.rangeDepth++;
    const [list, next] = this.itemList({ keyword: context, pos: delimPos });
    if (context === 'range') this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.type === 'else') {
      const pending = this.peek();
      // {{if a}}_{{else if b}}_{{end}} is {{if a}}_{{else}}{{if b}}_{{end}}{{end}}, with one shared
      // {{end}}.
      if (
        (context === 'if' && pending.type === 'if') ||
        (context === 'with' && pending.type === 'with')
      ) {
        this.next();
        elseList = { type: 'list', pos: next.pos, nodes: [this.branchControl(context, next.pos)] };
      } else {
        const [list, end] = this.itemList({ keyword: context, pos: delimPos });
        if (end.type !== 'end') this.errorf(`expected end; found ${markerString(end)}`, end.pos);
        elseList = list;
      }
    }
    this.vars.length = varsMark;
    this.leave();
    return { type: context, pos: pipe.pos, pipe, list, elseList };
  }

  private blockControl(delimPos: number): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, 'rightDelim');
    this.add(name, this.parseBody(context, { keyword: 'block', pos: delimPos }));
    return { type: 'template', pos: token.pos, name, pipe };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: token.pos, name, pipe };
  }

  private templateName(token: Token, context: string): string {
    if (token.type !== 'string' && token.type !== 'rawString') this.unexpected(token, context);
    return this.unquote(token);
  }

  // --- pipelines -----------------------------------------------------------------------------

  private pipeline(context: string, end: TokenType): PipeNode {
    const pipe: PipeNode = {
      type: 'pipe',
      pos: this.peekNonSpace().pos,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    const declaredBefore = this.vars.slice();
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const mark = this.index;
      this.next();
      const following = this.peekNonSpace();
      if (following.type === 'assign' || following.type === 'declare') {
        pipe.isAssign = following.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, name: v.value, path: [] });
        this.vars.push(v.value);
        break;
      }
      if (following.type === 'char' && following.value === ',') {
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, name: v.value, path: [] });
        this.vars.push(v.value);
        if (context === 'range' && pipe.decl.length < 2) {
          const second = this.peekNonSpace().type;
          if (second === 'variable' || second === 'rightDelim' || second === 'rightParen') continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      this.index = mark; // "$x foo": the variable is an argument, not a declaration
      break;
    }
    if (pipe.isAssign) {
      // Go accepts "$x = 1" for an undeclared $x and fails when executing; we fail early with Go's
      // words.
      for (const variable of pipe.decl) {
        if (!declaredBefore.includes(variable.name))
          this.errorf(`undefined variable ${goQuote(variable.name)}`, variable.pos);
      }
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.type) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((cmd, i) => {
      const first = cmd.args[0];
      if (first && ['bool', 'dot', 'nil', 'number', 'string'].includes(first.type)) {
        this.errorf(`non executable command in pipeline stage ${i + 2}`, cmd.pos);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.type === 'space') continue;
      if (token.type === 'rightDelim' || token.type === 'rightParen') this.backup();
      else if (token.type !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): OperandNode | null {
    const node = this.term();
    if (!node) return null;
    const path: Segment[] = [];
    for (
      let token = this.peek();
      token.type === 'field' || token.type === 'index';
      token = this.peek()
    ) {
      this.next();
      path.push(
        token.type === 'field'
          ? { kind: 'field', name: token.value.slice(1) }
          : { kind: 'index', index: Number(token.value.slice(1, -1)) },
      );
    }
    if (path.length === 0) return node;
    switch (node.type) {
      case 'field':
        return { ...node, path: [...node.path, ...path] };
      case 'variable':
        return { ...node, path: [...node.path, ...path] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        if (node.type !== 'dot' || path.some((segment) => segment.kind === 'field')) {
          this.errorf(`unexpected . after term ${goQuote(nodeToString(node))}`, node.pos);
        }
        return { type: 'chain', pos: node.pos, base: node, path };
      default:
        return { type: 'chain', pos: node.pos, base: node, path };
    }
  }

  private term(): OperandNode | null {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'identifier':
        if (!this.functions.has(token.value))
          this.errorf(`function ${goQuote(token.value)} not defined`, token.pos);
        return { type: 'identifier', pos: token.pos, name: token.value };
      case 'dot':
        return { type: 'dot', pos: token.pos };
      case 'nil':
        return { type: 'nil', pos: token.pos };
      case 'variable':
        if (!this.vars.includes(token.value))
          this.errorf(`undefined variable ${goQuote(token.value)}`, token.pos);
        return { type: 'variable', pos: token.pos, name: token.value, path: [] };
      case 'field':
        return {
          type: 'field',
          pos: token.pos,
          path: [{ kind: 'field', name: token.value.slice(1) }],
        };
      case 'bool':
        return { type: 'bool', pos: token.pos, value: token.value === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        return {
          type: 'number',
          pos: token.pos,
          text: token.value,
          value: this.numberValue(token),
        };
      case 'leftParen': {
        this.enter(token.pos);
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        this.leave();
        return pipe;
      }
      case 'string':
      case 'rawString':
        return { type: 'string', pos: token.pos, quoted: token.value, value: this.unquote(token) };
    }
    this.backup();
    return null;
  }

  // --- literals ------------------------------------------------------------------------------

  private unquote(token: Token): string {
    const value = unquoteGoString(token.value);
    if (value === null) this.errorf('invalid syntax', token.pos);
    return value;
  }

  private numberValue(token: Token): NumberValue {
    const text = token.value;
    if (token.type === 'charConstant') {
      const rune = unquoteGoChar(text);
      if (rune === null) this.errorf(`malformed character constant: ${text}`, token.pos);
      return { kind: 'int', value: BigInt(rune) };
    }
    if (token.type === 'complex' || text.endsWith('i'))
      this.errorf(`complex numbers are not supported: ${text}`, token.pos);
    const isHexInt = /^[+-]?0[xX]/.test(text) && !/[pP]/.test(text);
    if (isHexInt || !/[.eEpP]/.test(text)) {
      const int = parseGoInt(text);
      if (int === null) this.errorf(`illegal number syntax: ${goQuote(text)}`, token.pos);
      if (int > UINT64_MAX || int < INT64_MIN)
        this.errorf(`integer overflow: ${goQuote(text)}`, token.pos);
      return int > INT64_MAX ? { kind: 'overflow' } : { kind: 'int', value: int };
    }
    const float = parseGoFloat(text);
    if (float === null) this.errorf(`illegal number syntax: ${goQuote(text)}`, token.pos);
    return { kind: 'float', value: float };
  }
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Underscores may only separate digits (or follow a base prefix), as in Go. */
function stripUnderscores(digits: string, afterPrefix: boolean): string | null {
  if (!digits.includes('_')) return digits;
  if (/__|_$/.test(digits) || (!afterPrefix && digits.startsWith('_'))) return null;
  return digits.replaceAll('_', '');
}

function parseGoInt(text: string): bigint | null {
  const sign = text.startsWith('-') ? -1n : 1n;
  const body = text.replace(/^[+-]/, '');
  const prefixed = /^0([xXoObB])(.*)$/.exec(body);
  let base = 10;
  let digits: string | null;
  if (prefixed) {
    base = { x: 16, o: 8, b: 2 }[(prefixed[1] ?? 'x').toLowerCase() as 'x' | 'o' | 'b'];
    digits = stripUnderscores(prefixed[2] ?? '', true);
  } else if (body.length > 1 && body.startsWith('0')) {
    base = 8;
    digits = stripUnderscores(body.slice(1), true);
  } else {
    digits = stripUnderscores(body, false);
  }
  if (!digits) return null;
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[
    base as 2 | 8 | 10 | 16
  ];
  if (!valid.test(digits)) return null;
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[base as 2 | 8 | 10 | 16];
  return sign * BigInt(prefix + digits);
}

function parseGoFloat(text: string): number | null {
  const hex = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(text);
  let value: number;
  if (hex) {
    const whole = stripUnderscores(hex[2] ?? '', true);
    const fraction = stripUnderscores(hex[3] ?? '', false);
    const exponent = stripUnderscores(hex[4] ?? '', false);
    if (whole === null || fraction === null || exponent === null || whole + fraction === '')
      return null;
    const mantissa = Number(BigInt(`0x${whole}${fraction}`));
    value = (hex[1] === '-' ? -1 : 1) * mantissa * 2 ** (Number(exponent) - 4 * fraction.length);
  } else {
    if (!/^[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?$/.test(text)) return null;
    const plain = stripUnderscores(text.replace(/^[+-]/, ''), false);
    if (plain === null || /_/.test(plain)) return null;
    value = (text.startsWith('-') ? -1 : 1) * Number(plain);
  }
  return Number.isFinite(value) ? value : null;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  "'": 39,
  '"': 34,
};

/**
 * Reads one possibly escaped character of a Go literal, like strconv.UnquoteChar. Returns the value
 * and whether it is a single byte (\x and octal escapes) rather than a code point, or null when
 * invalid.
 */
function unquoteChar(
  s: string,
  at: number,
  quote: string,
): { value: number; byte: boolean; next: number } | null {
  const c = s.codePointAt(at);
  if (c === undefined) return null;
  const ch = String.fromCodePoint(c);
  if (ch === quote && (quote === "'" || quote === '"')) return null;
  if (ch !== '\\') return { value: c, byte: false, next: at + ch.length };
  const kind = s[at + 1];
  if (kind === undefined) return null;
  const simple = SIMPLE_ESCAPES[kind];
  if (simple !== undefined) {
    if ((kind === "'" || kind === '"') && kind !== quote) return null;
    return { value: simple, byte: false, next: at + 2 };
  }
  const hexLength = { x: 2, u: 4, U: 8 }[kind as 'x' | 'u' | 'U'];
  if (hexLength) {
    const digits = s.slice(at + 2, at + 2 + hexLength);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(digits)) return null;
    const value = parseInt(digits, 16);
    if (kind !== 'x' && (value > 0x10ffff || (value >= 0xd800 && value < 0xe000))) return null;
    return { value, byte: kind === 'x', next: at + 2 + hexLength };
  }
  const octal = s.slice(at + 1, at + 4);
  if (/^[0-7]{3}$/.test(octal) && parseInt(octal, 8) <= 255)
    return { value: parseInt(octal, 8), byte: true, next: at + 4 };
  return null;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** strconv.Unquote for "..." and `...` literals; null when the literal is malformed. */
export function unquoteGoString(quoted: string): string | null {
  if (quoted.length >= 2 && quoted.startsWith('`') && quoted.endsWith('`'))
    return quoted.slice(1, -1).replaceAll('\r', '');
  if (quoted.length < 2 || !quoted.startsWith('"') || !quoted.endsWith('"')) return null;
  const body = quoted.slice(1, -1);
  if (!body.includes('\\')) return body.includes('"') ? null : body;
  // \x and octal escapes are raw bytes, so collect UTF-8 and decode once (invalid bytes become
  // U+FFFD).
  const bytes: number[] = [];
  for (let at = 0; at < body.length;) {
    const char = unquoteChar(body, at, '"');
    if (!char) return null;
    if (char.byte) bytes.push(char.value);
    else bytes.push(...utf8Encoder.encode(String.fromCodePoint(char.value)));
    at = char.next;
  }
  return utf8Decoder.decode(new Uint8Array(bytes));
}

function unquoteGoChar(quoted: string): number | null {
  if (quoted.length < 3 || !quoted.startsWith("'") || !quoted.endsWith("'")) return null;
  const body = quoted.slice(1, -1);
  const char = unquoteChar(body, 0, "'");
  return char && char.next === body.length ? char.value : null;
}

/** Go treats a template holding only spaces as empty, so a {{define}} may replace it. */
function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((node) => node.type === 'text' && node.text.trim() === '');
}

function pathToString(path: Segment[]): string {
  return path
    .map((segment) => (segment.kind === 'field' ? `.${segment.name}` : `[${segment.index}]`))
    .join('');
}

/** The source-like text of a node, as Go's Node.String(), for error messages. */
export function nodeToString(node: OperandNode | CommandNode | Node | ListNode): string {
  switch (node.type) {
    case 'field':
      return pathToString(node.path);
    case 'variable':
      return node.name + pathToString(node.path);
    case 'chain':
      return (
        (node.base.type === 'pipe' ? `(${nodeToString(node.base)})` : nodeToString(node.base)) +
        pathToString(node.path)
      );
    case 'identifier':
      return node.name;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(node.value);
    case 'number':
      return node.text;
    case 'string':
      return node.quoted;
    case 'pipe': {
      const decl =
        node.decl.length > 0
          ? `${node.decl.map((v) => v.name).join(', ')} ${node.isAssign ? '=' : ':='} `
          : '';
      return decl + node.cmds.map(nodeToString).join(' | ');
    }
    case 'command':
      return node.args
        .map((arg) => (arg.type === 'pipe' ? `(${nodeToString(arg)})` : nodeToString(arg)))
        .join(' ');
    case 'text':
      return node.text;
    case 'action':
      return `{{${nodeToString(node.pipe)}}}`;
    case 'if':
    case 'with':
    case 'range': {
      const elsePart = node.elseList ? `{{else}}${nodeToString(node.elseList)}` : '';
      return (
        `{{${node.type} ` +
        `${nodeToString(node.pipe)}}}${nodeToString(node.list)}${elsePart}{{end}}`
      );
    }
    case 'template':
      return `{{template ${goQuote(node.name)}${node.pipe ? ` ${nodeToString(node.pipe)}` : ''}}}`;
    case 'break':
    case 'continue':
      return `{{${node.type}}}`;
    case 'list':
      return node.nodes.map(nodeToString).join('');
  }
}

export function parseTemplate(
  source: string,
  options: { name: string; functions: ReadonlySet<string> },
): { ok: true; template: ParsedTemplate } | { ok: false; error: TemplateError } {
  const parser = new Parser(source, options.functions);
  try {
    const templates = parser.parse(options.name);
    return { ok: true, template: { name: options.name, source, templates } };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return {
      ok: false,
      error: { message: error.message, position: positionOf(source, error.pos) },
    };
  }
}
