import { describe, expect, test } from 'vitest';
import type { ExprNode } from './ast';
import { parse } from './parser';

/** Renders the tree as an S-expression, which makes grouping visible. */
function shape(node: ExprNode): string {
  switch (node.kind) {
    case 'nil':
      return 'nil';
    case 'bool':
    case 'int':
    case 'float':
      return String(node.value);
    case 'string':
      return JSON.stringify(node.value);
    case 'identifier':
      return node.name;
    case 'pointer':
      return `#${node.name}`;
    case 'array':
      return `[${node.items.map(shape).join(' ')}]`;
    case 'map':
      return `{${node.entries.map((entry) => `${shape(entry.key)}:${shape(entry.value)}`).join(' ')}}`;
    case 'unary':
      return `(${node.operator} ${shape(node.operand)})`;
    case 'binary':
      return `(${node.operator} ${shape(node.left)} ${shape(node.right)})`;
    case 'member':
      return `(${node.optional ? '?.' : '.'} ${shape(node.object)} ${shape(node.property)})`;
    case 'slice':
      return `(slice ${shape(node.object)} ${node.from ? shape(node.from) : '_'} ${node.to ? shape(node.to) : '_'})`;
    case 'method':
      return `(method ${shape(node.object)} ${node.name}${node.args.map((arg) => ` ${shape(arg)}`).join('')})`;
    case 'chain':
      return `(chain ${shape(node.node)})`;
    case 'call':
      return `(${node.name}${node.args.map((arg) => ` ${shape(arg)}`).join('')})`;
    case 'predicate':
      return `{${shape(node.body)}}`;
    case 'conditional':
      return `(? ${shape(node.condition)} ${shape(node.whenTrue)} ${shape(node.whenFalse)})`;
    case 'let':
      return `(let ${node.name} ${shape(node.value)} ${shape(node.body)})`;
  }
}

function parsed(source: string): string {
  const result = parse(source);
  if (!result.ok) throw new Error(`${result.error.message} at ${result.error.offset}`);
  return shape(result.node);
}

describe('parse', () => {
  test.each([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['2 ** 3 ** 2', '(** 2 (** 3 2))'],
    ['2 ^ 3', '(** 2 3)'],
    ['-a ** 2', '(- (** a 2))'],
    ['not a == b', '(== (not a) b)'],
    ['!a || b && c', '(or (not a) (and b c))'],
    ['a < b < c', '(and (< a b) (< b c))'],
    ['a not in b', '(not (in a b))'],
    ['a in b == c', '(== (in a b) c)'],
    ['a < b == c', '(== (< a b) c)'],
    ['a == b < c', '(< (== a b) c)'],
    ['a not in b == c', '(== (not (in a b)) c)'],
    ['1..n + 1', '(.. 1 (+ n 1))'],
    ['a ?? b ?? c', '(?? (?? a b) c)'],
    ['a + b ?? c', '(+ a (?? b c))'],
    ['a ? b : c ? d : e', '(? a b (? c d e))'],
    ['a ?: b', '(? a a b)'],
    ['x | upper() | split(",")', '(split (upper x) ",")'],
    ['xs | filter(# > 1)', '(filter xs {(> # 1)})'],
    ['map(xs, {.name})', '(map xs {(. # "name")})'],
    ['reduce(xs, #acc + #, 0)', '(reduce xs {(+ #acc #)} 0)'],
    ['count(xs)', '(count xs)'],
    ['a.b[c]?.d', '(chain (?. (. (. a "b") c) "d"))'],
    ['a?.[0]', '(chain (?. a 0))'],
    ['a[1:2] + a[:2] + a[1:]', '(+ (+ (slice a 1 2) (slice a _ 2)) (slice a 1 _))'],
    ['t.Format("2006")', '(method t Format "2006")'],
    ['let x = 1; let y = 2; x + y', '(let x 1 (let y 2 (+ x y)))'],
    ['{a: 1, "b": [2], (c): nil}', '{"a":1 "b":[2] c:nil}'],
    ['x.in', '(. x "in")'],
  ])('%s', (source, expected) => {
    expect(parsed(source)).toBe(expected);
  });

  test('keeps integers beyond 2^53 exact', () => {
    const result = parse('9007199254740993');
    expect(result.ok && result.node).toMatchObject({ kind: 'int', value: 9007199254740993n });
  });

  test('reports the first error with its offset', () => {
    expect(parse('(1 + 2')).toEqual({
      ok: false,
      error: { message: 'unexpected end of expression', offset: 6 },
    });
    expect(parse('a ? b')).toEqual({
      ok: false,
      error: { message: 'unexpected end of expression', offset: 5 },
    });
    expect(parse('"x" | 1')).toEqual({
      ok: false,
      error: { message: 'unexpected token "1"', offset: 6 },
    });
  });
});
