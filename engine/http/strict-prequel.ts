// Strict mode (ENGINE_STRICT_PREQUEL): the engine serves only the documented Prequel Import API.
// What the contract marks "(ext)" (a route's summary, a field's describe()) is left out: such a
// route answers 404, such a response field is dropped, such a request field is refused.
import type { Context } from 'hono';
import { badRequest } from './api-error';

/** A JSON Schema, as z.toJSONSchema writes the contract's zod schemas (inline, no $ref). */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema | JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

/** Whether a summary or description marks an extension of the hosted API. */
export const isExtension = (text: string | undefined): boolean =>
  text?.trimStart().startsWith('(ext)') ?? false;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The schema and the branches of its unions, flattened: every shape the value may have. */
function alternatives(schema: JsonSchema): JsonSchema[] {
  return [
    schema,
    ...[...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])].flatMap(
      alternatives,
    ),
  ];
}

/**
 * The value without the (ext) fields its schema declares, and the paths of those it held. A field
 * the schema does not declare is kept: the contract's read shapes are loose where the hosted API's
 * are.
 */
export function withoutExtensions(
  value: unknown,
  schema: JsonSchema,
  path = '',
): { value: unknown; extensions: string[] } {
  const shapes = alternatives(schema);
  if (Array.isArray(value)) {
    const items = shapes.flatMap((shape) =>
      shape.items && !Array.isArray(shape.items) ? [shape.items] : [],
    );
    const extensions: string[] = [];
    const kept = value.map((item, index) => {
      const result = withoutExtensions(item, { anyOf: items }, `${path}[${index}]`);
      extensions.push(...result.extensions);
      return result.value;
    });
    return { value: kept, extensions };
  }
  if (!isObject(value)) return { value, extensions: [] };

  const extensions: string[] = [];
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const fieldPath = path ? `${path}.${key}` : key;
    const declared = shapes.flatMap((shape) => {
      const property = shape.properties?.[key];
      if (property) return [property];
      return isObject(shape.additionalProperties) && !shape.properties
        ? [shape.additionalProperties as JsonSchema]
        : [];
    });
    if (declared.some((property) => isExtension(property.description))) {
      extensions.push(fieldPath);
      continue;
    }
    const result = withoutExtensions(field, { anyOf: declared }, fieldPath);
    extensions.push(...result.extensions);
    kept[key] = result.value;
  }
  return { value: kept, extensions };
}

export interface RouteSchemas {
  body?: JsonSchema;
  query?: JsonSchema;
  response?: JsonSchema;
}

/**
 * Wraps a route's handler so it takes and gives only the documented API: a request naming an (ext)
 * field is refused (400 `not_in_prequel_api`, where the hosted API's answer is unknown, so that a
 * dependency on an extension fails loudly), and (ext) fields leave the response.
 */
export function documentedOnly<C extends Context>(
  schemas: RouteSchemas,
  handler: (c: C) => Promise<Response> | Response,
): (c: C) => Promise<Response> {
  return async (c) => {
    const refused = [
      ...(schemas.query ? withoutExtensions(c.req.query(), schemas.query).extensions : []),
      ...(schemas.body ? withoutExtensions(await bodyOf(c), schemas.body).extensions : []),
    ];
    if (refused.length) {
      throw badRequest(
        'not_in_prequel_api',
        `This engine serves only the documented Prequel Import API: ${refused.join(', ')} ` +
          `${refused.length === 1 ? 'is an extension' : 'are extensions'} it does not take.`,
        refused.map((path) => ({ path, message: 'is not part of the Prequel Import API' })),
      );
    }
    const response = await handler(c);
    const isJson = response.headers.get('content-type')?.includes('application/json');
    if (!schemas.response || !isJson || response.status >= 300) return response;
    const { value } = withoutExtensions(await response.json(), schemas.response);
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(value), { status: response.status, headers });
  };
}

/** The request's JSON body; nothing when it has none or is malformed (the handler says so). */
async function bodyOf(c: Context): Promise<unknown> {
  // Hono keeps the text, so the handler reads the same body again.
  const text = await c.req.text();
  try {
    return text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
