// The syntax tree the parser produces and the evaluator walks. `offset` points into the source for
// error messages.

export type BinaryOperator =
  | 'or'
  | 'and'
  | '=='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>='
  | 'in'
  | 'matches'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | '..'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '**'
  | '??';

export type UnaryOperator = '-' | '+' | 'not';

export type ExprNode =
  | { kind: 'nil'; offset: number }
  | { kind: 'bool'; value: boolean; offset: number }
  /** Integers beyond 2^53 are kept as bigint so they stay exact. */
  | { kind: 'int'; value: number | bigint; offset: number }
  | { kind: 'float'; value: number; offset: number }
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'identifier'; name: string; offset: number }
  /** `#` (name ''), `#index` or `#acc` inside a predicate. */
  | { kind: 'pointer'; name: string; offset: number }
  | { kind: 'array'; items: ExprNode[]; offset: number }
  | { kind: 'map'; entries: { key: ExprNode; value: ExprNode }[]; offset: number }
  | { kind: 'unary'; operator: UnaryOperator; operand: ExprNode; offset: number }
  | { kind: 'binary'; operator: BinaryOperator; left: ExprNode; right: ExprNode; offset: number }
  | { kind: 'member'; object: ExprNode; property: ExprNode; optional: boolean; offset: number }
  | {
      kind: 'slice';
      object: ExprNode;
      from: ExprNode | undefined;
      to: ExprNode | undefined;
      offset: number;
    }
  | {
      kind: 'method';
      object: ExprNode;
      name: string;
      args: ExprNode[];
      optional: boolean;
      offset: number;
    }
  /** Ends a postfix chain containing `?.`: a nil met inside it makes the whole chain nil. */
  | { kind: 'chain'; node: ExprNode; offset: number }
  /** A call of a built-in or Prequel helper; predicate arguments are `predicate` nodes. */
  | { kind: 'call'; name: string; args: ExprNode[]; offset: number }
  | { kind: 'predicate'; body: ExprNode; offset: number }
  | {
      kind: 'conditional';
      condition: ExprNode;
      whenTrue: ExprNode;
      whenFalse: ExprNode;
      offset: number;
    }
  | { kind: 'let'; name: string; value: ExprNode; body: ExprNode; offset: number };

export function childNodes(node: ExprNode): ExprNode[] {
  switch (node.kind) {
    case 'array':
      return node.items;
    case 'map':
      return node.entries.flatMap((entry) => [entry.key, entry.value]);
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'member':
      return [node.object, node.property];
    case 'slice':
      return [node.object, ...(node.from ? [node.from] : []), ...(node.to ? [node.to] : [])];
    case 'method':
      return [node.object, ...node.args];
    case 'chain':
      return [node.node];
    case 'call':
      return node.args;
    case 'predicate':
      return [node.body];
    case 'conditional':
      return [node.condition, node.whenTrue, node.whenFalse];
    case 'let':
      return [node.value, node.body];
    default:
      return [];
  }
}
