// Pure: quick checks of a record_schema as it is typed, so mistakes show before the Import API
// validates it in full.
export type SchemaCheck =
  { ok: true; fields: number; required: number } | { ok: false; message: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function checkRecordSchema(text: string): SchemaCheck {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    return {
      ok: false,
      message: `Not valid JSON${position ? ` (near character ${position})` : ''}.`,
    };
  }
  if (!isObject(schema)) return { ok: false, message: 'The schema must be a JSON object.' };
  if (schema.type !== 'object')
    return { ok: false, message: 'A record schema describes an object: set "type": "object".' };
  if (!isObject(schema.properties))
    return { ok: false, message: 'List the record’s fields under "properties".' };
  const names = Object.keys(schema.properties);
  for (const name of names) {
    const property = schema.properties[name];
    if (!isObject(property))
      return {
        ok: false,
        message: `Field "${name}" must be described by an object, e.g. {"type": "string"}.`,
      };
    if (
      property.type !== undefined &&
      typeof property.type !== 'string' &&
      !Array.isArray(property.type)
    )
      return {
        ok: false,
        message: `Field "${name}": "type" must be a type name or a list of them.`,
      };
  }
  const required = schema.required ?? [];
  if (!Array.isArray(required) || required.some((name) => typeof name !== 'string'))
    return { ok: false, message: '"required" must be a list of field names.' };
  const unknown = (required as string[]).filter((name) => !names.includes(name));
  if (unknown.length)
    return {
      ok: false,
      message: `"required" names fields that are not in "properties": ${unknown.join(', ')}.`,
    };
  return { ok: true, fields: names.length, required: required.length };
}
