// Pure: which fields of a record_schema must be mapped, and whether a set of mapping targets covers
// them.
type SchemaNode = {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  required?: unknown;
  additionalProperties?: unknown;
};

function asNode(value: unknown): SchemaNode | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as SchemaNode)
    : null;
}

function requiredNames(node: SchemaNode): string[] {
  return Array.isArray(node.required)
    ? node.required.filter((name): name is string => typeof name === 'string')
    : [];
}

/**
 * Dotted paths of the leaves that a record must contain: required properties, descending into
 * required objects that have required properties of their own
 * (`preferences.default.channel_types.email`).
 */
export function requiredFieldPaths(schema: unknown, prefix = ''): string[] {
  const node = asNode(schema);
  if (!node) return [];
  return requiredNames(node).flatMap((name) => {
    const path = `${prefix}${name}`;
    const child = asNode(node.properties?.[name]);
    const nested =
      child && requiredNames(child).length ? requiredFieldPaths(child, `${path}.`) : [];
    return nested.length ? nested : [path];
  });
}

/**
 * A target covers a required path when it is the path, one of its ancestors, or one of its
 * descendants.
 */
export function isCovered(path: string, targets: readonly string[]): boolean {
  return targets.some(
    (target) => target === path || path.startsWith(`${target}.`) || target.startsWith(`${path}.`),
  );
}

export function uncoveredRequiredFields(schema: unknown, targets: readonly string[]): string[] {
  return requiredFieldPaths(schema).filter((path) => !isCovered(path, targets));
}

/**
 * False when the schema forbids the target (a segment missing under `additionalProperties: false`).
 */
export function isKnownTarget(schema: unknown, target: string): boolean {
  let node = asNode(schema);
  for (const segment of target.split('.')) {
    if (!node) return true;
    const child =
      node.properties && Object.hasOwn(node.properties, segment)
        ? asNode(node.properties[segment])
        : null;
    if (!child) return node.additionalProperties !== false;
    node = child;
  }
  return true;
}
