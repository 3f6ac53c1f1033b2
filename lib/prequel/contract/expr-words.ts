// Pure: the words of the expression language (expr-lang) that cannot name a column, shared by the
// engine's lexer and the mapping suggestions that write expressions.

/** Words expr-lang lexes as operators. */
export const EXPR_OPERATOR_WORDS: readonly string[] = [
  'not',
  'in',
  'or',
  'and',
  'matches',
  'contains',
  'startsWith',
  'endsWith',
  'let',
];

/** Words expr-lang reads as literals. */
export const EXPR_LITERAL_WORDS: readonly string[] = ['nil', 'true', 'false'];
