// Builds the syntax tree from tokens with expr-lang's precedence-climbing grammar (parser/parser.go
// upstream).
import { childNodes, type BinaryOperator, type ExprNode, type UnaryOperator } from './ast';
import { tokenize, type Token } from './lexer';

export type ParseError = { message: string; offset: number };
export type ParseResult = { ok: true; node: ExprNode } | { ok: false; error: ParseError };

type ArgumentShape = { predicate: boolean; optional: boolean };

const expression: ArgumentShape = { predicate: false, optional: false };
const predicate: ArgumentShape = { predicate: true, optional: false };
const optionalPredicate: ArgumentShape = { predicate: true, optional: true };
const optionalExpression: ArgumentShape = { predicate: false, optional: true };

/**
 * Built-ins whose second argument is a predicate (a closure over `#`), parsed specially like
 * expr-lang does.
 */
export const predicateSignatures = {
  all: [expression, predicate],
  none: [expression, predicate],
  any: [expression, predicate],
  one: [expression, predicate],
  filter: [expression, predicate],
  map: [expression, predicate],
  count: [expression, optionalPredicate],
  sum: [expression, optionalPredicate],
  find: [expression, predicate],
  findIndex: [expression, predicate],
  findLast: [expression, predicate],
  findLastIndex: [expression, predicate],
  groupBy: [expression, predicate],
  sortBy: [expression, predicate, optionalExpression],
  reduce: [expression, predicate, optionalExpression],
} satisfies Record<string, ArgumentShape[]>;

export type PredicateBuiltinName = keyof typeof predicateSignatures;

export function isPredicateBuiltin(name: string): name is PredicateBuiltinName {
  return Object.hasOwn(predicateSignatures, name);
}

type OperatorInfo = { precedence: number; rightAssociative?: boolean };

const binaryOperators: Record<string, OperatorInfo> = {
  '|': { precedence: 0 },
  or: { precedence: 10 },
  '||': { precedence: 10 },
  and: { precedence: 15 },
  '&&': { precedence: 15 },
  '==': { precedence: 20 },
  '!=': { precedence: 20 },
  '<': { precedence: 20 },
  '>': { precedence: 20 },
  '>=': { precedence: 20 },
  '<=': { precedence: 20 },
  in: { precedence: 20 },
  matches: { precedence: 20 },
  contains: { precedence: 20 },
  startsWith: { precedence: 20 },
  endsWith: { precedence: 20 },
  '..': { precedence: 25 },
  '+': { precedence: 30 },
  '-': { precedence: 30 },
  '*': { precedence: 60 },
  '/': { precedence: 60 },
  '%': { precedence: 60 },
  '**': { precedence: 100, rightAssociative: true },
  '^': { precedence: 100, rightAssociative: true },
  '??': { precedence: 500 },
};

const unaryPrecedence: Record<string, number> = { not: 50, '!': 50, '-': 90, '+': 90 };

const comparisonPrecedence = 20;
/** The operators expr-lang chains (operator.IsComparison upstream). */
const chainedComparisons = new Set(['<', '>', '<=', '>=']);
const negatableOperators = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith']);
const operatorAliases: Record<string, BinaryOperator> = { '||': 'or', '&&': 'and', '^': '**' };

// Parser recursion (parentheses, unary chains, nested literals) and the finished tree's depth are
// bounded so hostile input becomes a parse error instead of a stack overflow in the parser or
// evaluator.
const maxNesting = 200;
const maxTreeDepth = 1000;
const maxSourceLength = 100_000;

class ParseFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parse(source: string): ParseResult {
  if (source.length > maxSourceLength) {
    return {
      ok: false,
      error: {
        message: `expression is too long (more than ${maxSourceLength} characters)`,
        offset: 0,
      },
    };
  }
  const lexed = tokenize(source);
  if (!lexed.ok) return { ok: false, error: lexed.error };
  try {
    const node = new Parser(lexed.tokens).parseRoot();
    if (treeDepth(node) > maxTreeDepth) {
      return { ok: false, error: { message: 'expression is nested too deeply', offset: 0 } };
    }
    return { ok: true, node };
  } catch (error) {
    if (error instanceof ParseFailure)
      return { ok: false, error: { message: error.message, offset: error.offset } };
    throw error;
  }
}

class Parser {
  private index = 0;
  private nesting = 0;
  private predicateDepth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseRoot(): ExprNode {
    const node = this.parseExpression(0);
    if (this.current.kind !== 'eof') this.fail(this.current);
    return node;
  }

  private get current(): Token {
    // The lexer always ends the list with an eof token, and the parser never moves past it.
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private peek(): Token {
    return this.tokens[this.index + 1] ?? this.current;
  }

  private advance(): Token {
    const token = this.current;
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private is(kind: Token['kind'], value?: string, token: Token = this.current): boolean {
    return token.kind === kind && (value === undefined || token.value === value);
  }

  private expect(kind: Token['kind'], value?: string): Token {
    if (!this.is(kind, value)) this.fail(this.current);
    return this.advance();
  }

  private fail(token: Token, message?: string): never {
    const text =
      message ??
      (token.kind === 'eof'
        ? 'unexpected end of expression'
        : `unexpected token ${JSON.stringify(token.value)}`);
    throw new ParseFailure(text, token.offset);
  }

  private parseExpression(minPrecedence: number): ExprNode {
    this.nesting++;
    if (this.nesting > maxNesting) this.fail(this.current, 'expression is nested too deeply');
    const node = this.parseBinary(minPrecedence);
    this.nesting--;
    return node;
  }

  private parseBinary(minPrecedence: number): ExprNode {
    if (minPrecedence === 0 && this.is('operator', 'let')) return this.parseLet();

    let left = this.parsePrimary();
    let previousOperator = '';
    while (this.current.kind === 'operator') {
      let operatorToken = this.current;
      const negated = operatorToken.value === 'not';
      if (negated) {
        const next = this.peek();
        if (next.kind !== 'operator' || !negatableOperators.has(next.value)) this.fail(next);
        if (comparisonPrecedence < minPrecedence) break;
        this.advance();
        operatorToken = next;
      }
      const info = binaryOperators[operatorToken.value];
      if (info === undefined || info.precedence < minPrecedence) break;
      this.advance();

      if (operatorToken.value === '|') {
        const name = this.expect('identifier');
        left = this.parseCall(name, [left]);
      } else if (previousOperator === '??' && operatorToken.value !== '??') {
        this.fail(
          operatorToken,
          `Operator (${operatorToken.value}) and coalesce expressions (??) cannot be mixed. Wrap ` +
            `either by parentheses.`,
        );
      } else if (chainedComparisons.has(operatorToken.value)) {
        left = this.parseComparison(left, operatorToken);
      } else {
        const right = this.parseExpression(
          info.rightAssociative ? info.precedence : info.precedence + 1,
        );
        left = {
          kind: 'binary',
          operator: toBinaryOperator(operatorToken.value),
          left,
          right,
          offset: operatorToken.offset,
        };
        if (negated)
          left = { kind: 'unary', operator: 'not', operand: left, offset: operatorToken.offset };
      }
      previousOperator = operatorToken.value;
    }

    return minPrecedence === 0 ? this.parseConditional(left) : left;
  }

  /**
   * `a < b < c` means `a < b and b < c`, as in expr-lang. Only the four ordering operators chain;
   * `==`, `!=`, `in` and the string operators share their precedence but are plain left-associative
   * operators, so `1 < 2 == true` is `(1 < 2) == true`.
   */
  private parseComparison(left: ExprNode, operatorToken: Token): ExprNode {
    let root: ExprNode | undefined;
    let token = operatorToken;
    for (;;) {
      const right = this.parseExpression(comparisonPrecedence + 1);
      const comparison: ExprNode = {
        kind: 'binary',
        operator: toBinaryOperator(token.value),
        left,
        right,
        offset: token.offset,
      };
      root =
        root === undefined
          ? comparison
          : {
              kind: 'binary',
              operator: 'and',
              left: root,
              right: comparison,
              offset: token.offset,
            };
      left = right;
      if (!(this.current.kind === 'operator' && chainedComparisons.has(this.current.value)))
        return root;
      token = this.advance();
    }
  }

  private parseConditional(condition: ExprNode): ExprNode {
    let node = condition;
    while (this.is('operator', '?')) {
      const questionMark = this.advance();
      let whenTrue: ExprNode;
      if (this.is('operator', ':')) {
        this.advance();
        whenTrue = node;
      } else {
        whenTrue = this.parseExpression(0);
        this.expect('operator', ':');
      }
      const whenFalse = this.parseExpression(0);
      node = {
        kind: 'conditional',
        condition: node,
        whenTrue,
        whenFalse,
        offset: questionMark.offset,
      };
    }
    return node;
  }

  private parseLet(): ExprNode {
    this.expect('operator', 'let');
    const name = this.expect('identifier');
    this.expect('operator', '=');
    const value = this.parseExpression(0);
    this.expect('operator', ';');
    const body = this.parseExpression(0);
    return { kind: 'let', name: name.value, value, body, offset: name.offset };
  }

  private parsePrimary(): ExprNode {
    const token = this.current;
    const unary = token.kind === 'operator' ? unaryPrecedence[token.value] : undefined;
    if (unary !== undefined) {
      this.advance();
      const operand = this.parseExpression(unary);
      const operator: UnaryOperator = token.value === '!' ? 'not' : (token.value as UnaryOperator);
      return this.parsePostfix({ kind: 'unary', operator, operand, offset: token.offset });
    }
    if (this.is('bracket', '(')) {
      this.advance();
      const inner = this.parseExpression(0);
      this.expect('bracket', ')');
      return this.parsePostfix(inner);
    }
    if (this.is('operator', '#') || this.is('operator', '.')) {
      if (this.predicateDepth === 0)
        this.fail(token, 'cannot use pointer accessor outside predicate');
      let name = '';
      if (token.value === '#') {
        this.advance();
        // Only a name written right after `#` belongs to it: `# in x` is the element, not a pointer
        // named "in".
        if (this.current.kind === 'identifier' && this.current.offset === token.end)
          name = this.advance().value;
      }
      return this.parsePostfix({ kind: 'pointer', name, offset: token.offset });
    }
    return this.parseSecondary();
  }

  private parseSecondary(): ExprNode {
    const token = this.current;
    let node: ExprNode;
    switch (token.kind) {
      case 'identifier':
        this.advance();
        if (token.value === 'true' || token.value === 'false')
          return { kind: 'bool', value: token.value === 'true', offset: token.offset };
        if (token.value === 'nil') return { kind: 'nil', offset: token.offset };
        node = this.is('bracket', '(')
          ? this.parseCall(token, [])
          : { kind: 'identifier', name: token.value, offset: token.offset };
        break;
      case 'number':
        this.advance();
        node = parseNumber(token);
        break;
      case 'string':
        this.advance();
        node = { kind: 'string', value: token.value, offset: token.offset };
        break;
      default:
        if (this.is('bracket', '[')) node = this.parseArray();
        else if (this.is('bracket', '{')) node = this.parseMap();
        else this.fail(token);
    }
    return this.parsePostfix(node);
  }

  private parseCall(name: Token, pipedArguments: ExprNode[]): ExprNode {
    const args = [...pipedArguments];
    if (isPredicateBuiltin(name.value)) {
      this.expect('bracket', '(');
      const shapes = predicateSignatures[name.value].slice(args.length);
      for (const [position, shape] of shapes.entries()) {
        if (this.is('bracket', ')')) {
          if (shape.optional) break;
          this.fail(this.current, `not enough arguments to call ${name.value}`);
        }
        if (position > 0) this.expect('operator', ',');
        args.push(shape.predicate ? this.parsePredicate() : this.parseExpression(0));
      }
      if (this.is('operator', ',')) this.advance();
      this.expect('bracket', ')');
    } else {
      args.push(...this.parseArguments());
    }
    return { kind: 'call', name: name.value, args, offset: name.offset };
  }

  private parseArguments(): ExprNode[] {
    const args: ExprNode[] = [];
    this.expect('bracket', '(');
    while (!this.is('bracket', ')')) {
      if (args.length > 0) {
        this.expect('operator', ',');
        if (this.is('bracket', ')')) break;
      }
      args.push(this.parseExpression(0));
    }
    this.expect('bracket', ')');
    return args;
  }

  private parsePredicate(): ExprNode {
    const start = this.current;
    const braced = this.is('bracket', '{');
    if (braced) this.advance();
    this.predicateDepth++;
    const body = this.parseExpression(0);
    this.predicateDepth--;
    if (braced) this.expect('bracket', '}');
    return { kind: 'predicate', body, offset: start.offset };
  }

  private parseArray(): ExprNode {
    const open = this.expect('bracket', '[');
    const items: ExprNode[] = [];
    while (!this.is('bracket', ']')) {
      if (items.length > 0) {
        this.expect('operator', ',');
        if (this.is('bracket', ']')) break;
      }
      items.push(this.parseExpression(0));
    }
    this.expect('bracket', ']');
    return { kind: 'array', items, offset: open.offset };
  }

  private parseMap(): ExprNode {
    const open = this.expect('bracket', '{');
    const entries: { key: ExprNode; value: ExprNode }[] = [];
    while (!this.is('bracket', '}')) {
      if (entries.length > 0) {
        this.expect('operator', ',');
        if (this.is('bracket', '}')) break;
      }
      const keyToken = this.current;
      let key: ExprNode;
      if (
        keyToken.kind === 'number' ||
        keyToken.kind === 'string' ||
        keyToken.kind === 'identifier'
      ) {
        this.advance();
        key = { kind: 'string', value: keyToken.value, offset: keyToken.offset };
      } else if (this.is('bracket', '(')) {
        key = this.parseExpression(0);
      } else {
        this.fail(
          keyToken,
          `a map key must be a quoted string, a number, an identifier, or an expression enclosed ` +
            `in parentheses (unexpected token ${JSON.stringify(keyToken.value)})`,
        );
      }
      this.expect('operator', ':');
      entries.push({ key, value: this.parseExpression(0) });
    }
    this.expect('bracket', '}');
    return { kind: 'map', entries, offset: open.offset };
  }

  private parsePostfix(start: ExprNode): ExprNode {
    let node = start;
    let optionalChain = false;
    for (;;) {
      const token = this.current;
      let optional = false;
      if (this.is('operator', '.') || this.is('operator', '?.')) {
        optional = token.value === '?.';
        this.advance();
        if (!(optional && this.is('bracket', '['))) {
          optionalChain ||= optional;
          node = this.parseProperty(node, optional);
          continue;
        }
      } else if (!this.is('bracket', '[')) {
        break;
      }
      optionalChain ||= optional;
      node = this.parseIndexOrSlice(node, optional, token);
    }
    return optionalChain ? { kind: 'chain', node, offset: start.offset } : node;
  }

  private parseProperty(object: ExprNode, optional: boolean): ExprNode {
    const property = this.advance();
    // Operator words such as `in` or `matches` are still valid property names after a dot.
    const isName =
      property.kind === 'identifier' ||
      (property.kind === 'operator' && /^[\p{L}_$][\p{L}\p{Nd}_$]*$/u.test(property.value));
    if (!isName) this.fail(property, 'expected name');
    if (this.is('bracket', '(')) {
      return {
        kind: 'method',
        object,
        name: property.value,
        args: this.parseArguments(),
        optional,
        offset: property.offset,
      };
    }
    return {
      kind: 'member',
      object,
      property: { kind: 'string', value: property.value, offset: property.offset },
      optional,
      offset: property.offset,
    };
  }

  private parseIndexOrSlice(object: ExprNode, optional: boolean, token: Token): ExprNode {
    this.expect('bracket', '[');
    let from: ExprNode | undefined;
    if (!this.is('operator', ':')) {
      from = this.parseExpression(0);
      if (!this.is('operator', ':')) {
        this.expect('bracket', ']');
        return { kind: 'member', object, property: from, optional, offset: token.offset };
      }
    }
    this.advance();
    const to = this.is('bracket', ']') ? undefined : this.parseExpression(0);
    this.expect('bracket', ']');
    return { kind: 'slice', object, from, to, offset: token.offset };
  }
}

function toBinaryOperator(value: string): BinaryOperator {
  return operatorAliases[value] ?? (value as BinaryOperator);
}

const maxInt64 = 2n ** 63n - 1n;

function parseNumber(token: Token): ExprNode {
  const text = token.value.replaceAll('_', '');
  const lower = text.toLowerCase();
  const isPrefixed = /^0[xob]/.test(lower);
  if (!isPrefixed && /[.e]/.test(lower)) {
    const value = Number(text);
    if (!Number.isFinite(value)) throw new ParseFailure('float literal is too large', token.offset);
    return { kind: 'float', value, offset: token.offset };
  }
  let value: bigint;
  try {
    value = BigInt(lower);
  } catch {
    throw new ParseFailure(`invalid number literal ${JSON.stringify(token.value)}`, token.offset);
  }
  if (value > maxInt64) throw new ParseFailure('integer literal is too large', token.offset);
  const safe = value <= BigInt(Number.MAX_SAFE_INTEGER);
  return { kind: 'int', value: safe ? Number(value) : value, offset: token.offset };
}

/**
 * Measured without recursion, because a long left-associative chain like `1+1+…` is deep without
 * nesting.
 */
function treeDepth(root: ExprNode): number {
  let deepest = 0;
  const stack: [ExprNode, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    for (const child of childNodes(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}
