// The five management calls of a contract resource (create, list, get, update, delete), parsed with
// its schema.
import 'server-only';
import { z } from 'zod';
import { getCapabilities } from './capabilities';
import { type AuditNote, prequelFetch, type PrequelResult, type QueryValue } from './client';
import { itemEnvelope, type Page, pageEnvelope, type PageQuery, pageParams } from './envelope';

/** A JSON merge patch of a request body: omitted fields keep their values, null removes a field. */
export type MergePatch<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: MergePatch<T[K]> | null }
    : T;

/**
 * `skipValidation` skips the checks that reach out (a destination's host) or need data (a stream's
 * columns).
 */
export type WriteOptions = { skipValidation?: boolean };

const writeQuery = ({ skipValidation }: WriteOptions) =>
  skipValidation ? { skip_validation: 'true' } : {};
const auditOf = ({ actor, reason }: AuditNote): AuditNote => ({ actor, reason });

export function crudEndpoints<Item extends z.ZodType, Input>(definition: {
  key: string;
  plural: string;
  path: `/${string}`;
  schema: Item;
}) {
  const { key, plural, path, schema } = definition;
  const item = itemEnvelope(key, schema);
  const page = pageEnvelope(plural, schema);
  const itemPath = (id: string): `/${string}` => `${path}/${encodeURIComponent(id)}`;
  type Result = Promise<PrequelResult<z.output<Item>>>;

  return {
    create: (input: Input, options: WriteOptions & AuditNote = {}): Result =>
      prequelFetch(path, item, {
        method: 'POST',
        body: { [key]: input },
        query: writeQuery(options),
        audit: auditOf(options),
      }),
    list: (
      query: PageQuery = {},
      filters: Record<string, QueryValue> = {},
    ): Promise<PrequelResult<Page<z.output<Item>>>> =>
      prequelFetch(path, page, { query: { ...pageParams(query), ...filters } }),
    get: (id: string): Result => prequelFetch(itemPath(id), item),
    update: (
      id: string,
      patch: MergePatch<Input>,
      options: WriteOptions & AuditNote = {},
    ): Result =>
      prequelFetch(itemPath(id), item, {
        method: 'PATCH',
        body: { [key]: patch },
        query: writeQuery(options),
        audit: auditOf(options),
      }),
    // The deleted object is not needed, and an API may answer a delete without a body.
    remove: async (id: string, audit: AuditNote = {}): Promise<PrequelResult<null>> => {
      const result = await prequelFetch(itemPath(id), z.unknown(), {
        method: 'DELETE',
        audit: auditOf(audit),
      });
      return result.ok ? { ok: true, data: null } : result;
    },
  };
}

export type ProviderScope = { providerId?: string };

/**
 * One page of a provider's objects. The `provider_id` filter is (ext): without it the page is
 * filtered here. Either way only the provider's own objects come back, because scoping is a
 * security boundary.
 */
export async function listOfProvider<T extends { provider_id: string }>(
  list: (query: PageQuery, filters: Record<string, QueryValue>) => Promise<PrequelResult<Page<T>>>,
  { providerId, ...query }: PageQuery & ProviderScope,
): Promise<PrequelResult<Page<T>>> {
  if (providerId === undefined) return list(query, {});
  const capabilities = await getCapabilities();
  if (!capabilities.ok) return capabilities;
  const result = await list(
    query,
    capabilities.data.providerFilter ? { provider_id: providerId } : {},
  );
  if (!result.ok) return result;
  return {
    ok: true,
    data: {
      items: result.data.items.filter((item) => item.provider_id === providerId),
      nextCursor: result.data.nextCursor,
    },
  };
}
