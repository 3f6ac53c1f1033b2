// Pure: reads the Import API's success envelopes, current (`{data: {source}}`) and previous
// (`{source}`) alike.
import { z } from 'zod';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function unwrap(body: unknown, key: string): unknown {
  if (!isObject(body)) return undefined;
  if (isObject(body.data) && key in body.data) return body.data[key];
  return body[key];
}

/** `{status, data: {<key>: item}, message}` (or `{<key>: item}`), parsed to the item. */
export const itemEnvelope = <T extends z.ZodType>(key: string, item: T) =>
  z.preprocess((body) => unwrap(body, key), item);

/**
 * `{status, data: {...}, message}` whose `data` is the answer itself (test-source, random-sample,
 * previews).
 */
export const dataEnvelope = <T extends z.ZodType>(data: T) =>
  z.preprocess((body) => (isObject(body) ? body.data : undefined), data);

/** One page of a list, and the cursor of the next page (null on the last one). */
export type Page<T> = { items: T[]; nextCursor: string | null };

export type PageQuery = { pageSize?: number; cursor?: string; order?: 'asc' | 'desc' };

export const pageParams = ({ pageSize, cursor, order }: PageQuery) => ({
  page_size: pageSize,
  cursor,
  order,
});

/**
 * The cursor inside `next_url`. Only the cursor is kept: following the URL itself would send the
 * key to whatever host the API names there.
 */
export function cursorOf(nextUrl: string | null | undefined): string | null {
  if (!nextUrl) return null;
  try {
    return new URL(nextUrl, 'http://next-url.invalid').searchParams.get('cursor');
  } catch {
    return null;
  }
}

/**
 * `{status, data: {<plural>: [...]}, has_next, next_url}` (or the list at the top level), parsed to
 * a Page.
 */
export const pageEnvelope = <T extends z.ZodType>(plural: string, item: T) =>
  z.preprocess(
    (body) =>
      isObject(body)
        ? { items: unwrap(body, plural), has_next: body.has_next, next_url: body.next_url }
        : body,
    z
      .object({
        items: z.array(item),
        has_next: z.boolean().optional(),
        next_url: z.string().nullish(),
      })
      .transform(({ items, has_next, next_url }): Page<z.output<T>> => ({
        items,
        nextCursor: has_next === false ? null : cursorOf(next_url),
      })),
  );
