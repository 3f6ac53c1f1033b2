// Pure: the fields a destination's record_schema asks for, flattened to the dotted paths a mapping
// targets.

/** One mappable field: a leaf of the record_schema (objects with properties are descended into). */
export type TargetField = {
  path: string;
  /** Declared JSON Schema types, e.g. ["string", "null"]; [] when any value is accepted. */
  type: string[];
  format?: string;
  description?: string;
  /** Required at every level along the path. */
  required: boolean;
  enum?: unknown[];
  example?: unknown;
};

type SchemaNode = Record<string, unknown>;

// Deeper nesting than this is not something a customer maps field by field.
const MAX_DEPTH = 16;
// A mapping target segment cannot be empty or hold a dot or whitespace (TargetFieldSchema).
const MAPPABLE_NAME = /^[^.\s]+$/;

function asNode(value: unknown): SchemaNode | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as SchemaNode)
    : null;
}

function decodePointerSegment(raw: string): string | null {
  try {
    return decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
  } catch {
    return null;
  }
}

/**
 * `#/definitions/a~1b` → the node; `$defs` too, since authors mix drafts. Anything else is not
 * followed.
 */
function lookupRef(root: SchemaNode, ref: string): SchemaNode | null {
  if (!ref.startsWith('#/')) return null;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodePointerSegment(raw);
    if (segment === null) return null;
    const current = asNode(node);
    if (!current || !Object.hasOwn(current, segment)) return null;
    node = current[segment];
  }
  return asNode(node);
}

/**
 * Follows `$ref` chains within the document. `seen` holds the refs already followed on this path,
 * so a recursive definition (a tree, a manager who is a person) stops instead of looping. Returns
 * null on a cycle.
 */
function resolve(
  root: SchemaNode,
  node: SchemaNode,
  seen: ReadonlySet<string>,
): { node: SchemaNode; seen: ReadonlySet<string> } | null {
  let current = node;
  let followed = new Set(seen);
  // The referring node's description wins: it says what the field means here, the definition only
  // what it is.
  const description = typeof node.description === 'string' ? node.description : undefined;
  while (typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (followed.has(ref)) return null;
    followed = new Set([...followed, ref]);
    const target = lookupRef(root, ref);
    if (!target) return { node: description ? { description } : {}, seen: followed };
    current = target;
  }
  return {
    node: description && current !== node ? { ...current, description } : current,
    seen: followed,
  };
}

function typesOf(node: SchemaNode): string[] {
  if (typeof node.type === 'string') return [node.type];
  if (Array.isArray(node.type))
    return node.type.filter((type): type is string => typeof type === 'string');
  // `anyOf: [{type: "string"}, {type: "null"}]` is how many generators spell a nullable field.
  const branches = Array.isArray(node.anyOf)
    ? node.anyOf
    : Array.isArray(node.oneOf)
      ? node.oneOf
      : null;
  if (branches) {
    const types = branches
      .map((branch) => asNode(branch))
      .map((branch) => (branch ? typesOf(branch) : []));
    if (types.every((list) => list.length > 0)) return [...new Set(types.flat())];
  }
  return [];
}

function requiredNames(node: SchemaNode): Set<string> {
  return new Set(
    Array.isArray(node.required)
      ? node.required.filter((name): name is string => typeof name === 'string')
      : [],
  );
}

function hasProperties(node: SchemaNode): boolean {
  const properties = asNode(node.properties);
  return properties !== null && Object.keys(properties).length > 0;
}

function isObjectWithProperties(node: SchemaNode): boolean {
  const types = typesOf(node);
  return (types.length === 0 || types.includes('object')) && hasProperties(node);
}

function leaf(path: string, node: SchemaNode, required: boolean): TargetField {
  const field: TargetField = { path, type: typesOf(node), required };
  if (typeof node.format === 'string') field.format = node.format;
  const description =
    typeof node.description === 'string'
      ? node.description
      : typeof node.title === 'string'
        ? node.title
        : undefined;
  if (description) field.description = description;
  if (Array.isArray(node.enum)) field.enum = [...(node.enum as unknown[])];
  else if (Object.hasOwn(node, 'const')) field.enum = [node.const];
  const example =
    Array.isArray(node.examples) && node.examples.length > 0
      ? node.examples[0]
      : Object.hasOwn(node, 'example')
        ? node.example
        : undefined;
  if (example !== undefined) field.example = example;
  return field;
}

function collect(
  root: SchemaNode,
  node: SchemaNode,
  prefix: string,
  required: boolean,
  seen: ReadonlySet<string>,
  depth: number,
  out: TargetField[],
): void {
  const properties = asNode(node.properties);
  if (!properties) return;
  const requiredHere = requiredNames(node);
  for (const [name, raw] of Object.entries(properties)) {
    if (!MAPPABLE_NAME.test(name)) continue;
    const path = `${prefix}${name}`;
    const isRequired = required && requiredHere.has(name);
    const child = asNode(raw);
    if (!child) {
      // `"field": true` accepts anything.
      if (raw === true) out.push({ path, type: [], required: isRequired });
      continue;
    }
    const resolved = resolve(root, child, seen);
    // A cycle: the field is a nested copy of one of its ancestors; map it whole, as any value.
    if (!resolved) {
      out.push(
        leaf(
          path,
          typeof child.description === 'string' ? { description: child.description } : {},
          isRequired,
        ),
      );
      continue;
    }
    if (isObjectWithProperties(resolved.node) && depth < MAX_DEPTH) {
      collect(root, resolved.node, `${path}.`, isRequired, resolved.seen, depth + 1, out);
    } else {
      out.push(leaf(path, resolved.node, isRequired));
    }
  }
}

/**
 * Every field a mapping can target, required ones first, otherwise in schema order. Objects with
 * properties become dotted paths (`address.city`); objects without properties and arrays are single
 * fields.
 */
export function targetFieldsOf(recordSchema: unknown): TargetField[] {
  const root = asNode(recordSchema);
  if (!root) return [];
  const resolved = resolve(root, root, new Set());
  if (!resolved) return [];
  const fields: TargetField[] = [];
  collect(root, resolved.node, '', true, resolved.seen, 0, fields);
  return [
    ...fields.filter((field) => field.required),
    ...fields.filter((field) => !field.required),
  ];
}
