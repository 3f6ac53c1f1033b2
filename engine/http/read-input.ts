// Parses request bodies and queries with zod; every failure becomes a 400 that names the offending
// path.
import type { Context } from 'hono';
import type { z } from 'zod';
import { badRequest, type ErrorDetail } from './api-error';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MAX_JSON_DEPTH = 64;

export function issuesToDetails(
  issues: readonly z.core.$ZodIssue[],
  prefix: string[] = [],
): ErrorDetail[] {
  return issues.slice(0, 50).map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join('.') || '(body)',
    message: issue.message,
  }));
}

function depthOf(value: unknown): number {
  // Iterative, so hostile nesting cannot overflow the stack.
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) max = depth;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return max;
}

export async function readJson(c: Context, { optional = false } = {}): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') {
    if (optional) return {};
    throw badRequest('malformed_json', 'The request body is empty: send a JSON object.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8's messages quote the input around the error, which may be a password: keep only the
    // position.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw badRequest(
      'malformed_json',
      `The request body is not valid JSON${position ? ` (error at character ${position})` : ''}.`,
    );
  }
  if (depthOf(value) > MAX_JSON_DEPTH) {
    throw badRequest(
      'invalid_request',
      `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
    );
  }
  return value;
}

/** Reads `{ "<key>": {...} }` and validates the inner object; error paths start with the key. */
export async function readWrapped<T extends z.ZodType>(
  c: Context,
  key: string,
  schema: T,
): Promise<z.output<T>> {
  const body = await readJson(c);
  return parseWrapped(body, key, schema);
}

export function parseWrapped<T extends z.ZodType>(
  body: unknown,
  key: string,
  schema: T,
): z.output<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !(key in body)) {
    throw badRequest(
      'invalid_request',
      `The request body must be a JSON object of the form {"${key}": {...}}.`,
      [{ path: key, message: 'is required' }],
    );
  }
  return parseWith(schema, (body as Record<string, unknown>)[key], [key]);
}

export function parseWith<T extends z.ZodType>(
  schema: T,
  value: unknown,
  prefix: string[] = [],
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = issuesToDetails(result.error.issues, prefix);
    const first = details[0];
    throw badRequest(
      'invalid_request',
      first ? `Invalid request: ${first.path} ${lowerFirst(first.message)}` : 'Invalid request.',
      details,
    );
  }
  return result.data;
}

export function readQuery<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  return parseWith(schema, c.req.query());
}

function lowerFirst(text: string) {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
