// Pure: the expression literal that stands for an empty value of a JSON Schema type, in the fixes
// both sides suggest.

/** `0`, `false`, `[]`, `{}` or `""`; null for a type without one (`null`, or none given). */
export function emptyLiteral(type: string | undefined): string | null {
  switch (type) {
    case 'number':
    case 'integer':
      return '0';
    case 'boolean':
      return 'false';
    case 'array':
      return '[]';
    case 'object':
      return '{}';
    case 'string':
      return '""';
    default:
      return null;
  }
}
