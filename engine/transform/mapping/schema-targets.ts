// Pure: what a record_schema says about one dotted target field (its JSON types, whether it is
// required), read once per mapping so that conversions and the preview's schema do not walk the
// schema per record.

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

const JSON_TYPES: ReadonlySet<string> = new Set<JsonType>([
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'null',
]);

export interface TargetSchema {
  /**
   * The declared types, in the schema's order; null when the schema does not declare a plain `type`
   * there.
   */
  types: JsonType[] | null;
  /** Listed in `required` of the object that holds it. */
  required: boolean;
}

type SchemaNode = { type?: unknown; properties?: unknown; required?: unknown };

function asNode(value: unknown): SchemaNode | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as SchemaNode)
    : null;
}

function declaredTypes(node: SchemaNode): JsonType[] | null {
  const raw =
    typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? node.type : null;
  if (
    !raw ||
    raw.length === 0 ||
    !raw.every((type): type is JsonType => typeof type === 'string' && JSON_TYPES.has(type))
  )
    return null;
  return raw;
}

export function targetSchema(recordSchema: unknown, segments: readonly string[]): TargetSchema {
  let node = asNode(recordSchema);
  let required = true;
  for (const segment of segments) {
    const properties = asNode(node?.properties);
    const child =
      properties && Object.hasOwn(properties, segment)
        ? asNode((properties as Record<string, unknown>)[segment])
        : null;
    required = Array.isArray(node?.required) && node.required.includes(segment);
    node = child;
  }
  return { types: node ? declaredTypes(node) : null, required };
}

export function allowsNull(target: TargetSchema): boolean {
  return target.types === null || target.types.includes('null');
}

/** The preview's `database_type_name`: the declared type(s) without null, or `any`. */
export function typeLabel(types: readonly JsonType[] | null): string {
  const named = types?.filter((type) => type !== 'null') ?? [];
  return named.length ? named.join('|') : 'any';
}
