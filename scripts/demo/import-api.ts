// The demo's client for the Import API over HTTP, as the app reaches it: answers parsed with the
// contract's envelopes. Failures throw: seeding and resetting cannot go on without the answer, and
// the message says what to fix.
import { z } from 'zod';
import { AUDIT_HEADERS } from '../../lib/prequel/contract/audit-log';
import { itemEnvelope, type Page, pageEnvelope } from '../../lib/prequel/envelope';

export class ImportApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'ImportApiError';
  }
}

export interface ImportApiOptions {
  url: string;
  apiKey: string;
  /**
   * Recorded as the audit log's actor label, so the demo's own changes are told apart from
   * people's.
   */
  actor?: string;
  timeoutMs?: number;
}

const errorBodySchema = z
  .looseObject({
    message: z.string().optional(),
    error: z.looseObject({ code: z.string().optional() }).optional(),
  })
  .catch({});

export function createImportApi(options: ImportApiOptions) {
  const baseUrl = options.url.replace(/\/+$/, '');
  const actorHeader: Record<string, string> = options.actor
    ? { [AUDIT_HEADERS.actorLabel]: encodeURIComponent(options.actor) }
    : {};

  async function call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = {
      'X-API-Key': options.apiKey,
      Accept: 'application/json',
      ...actorHeader,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new ImportApiError(
        `The Import API at ${baseUrl} is not reachable (${(error as Error).message}).`,
        null,
        null,
      );
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json };
  }

  function fail(method: string, path: string, status: number, json: unknown): never {
    const parsed = errorBodySchema.parse(json);
    throw new ImportApiError(
      `${method} ${path} answered ${status}: ${parsed.message ?? 'no message'}`,
      status,
      parsed.error?.code ?? null,
    );
  }

  function parseBody<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    status: number,
    json: unknown,
  ): T {
    const result = schema.safeParse(json);
    if (!result.success)
      throw new ImportApiError(
        `${method} ${path} answered an unexpected body: ${z.prettifyError(result.error)}`,
        status,
        null,
      );
    return result.data;
  }

  async function parsed<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<T> {
    const { status, json } = await call(method, path, body);
    if (status < 200 || status > 299) fail(method, path, status, json);
    return parseBody(method, path, schema, status, json);
  }

  return {
    /** The object, or null when the API answers 404. */
    async get<T>(path: string, key: string, schema: z.ZodType<T>): Promise<T | null> {
      const { status, json } = await call('GET', path);
      if (status === 404) return null;
      if (status !== 200) fail('GET', path, status, json);
      return parseBody('GET', path, itemEnvelope(key, schema), status, json) as T;
    },

    /** Every page of a list, oldest first. */
    async list<T>(
      path: string,
      plural: string,
      schema: z.ZodType<T>,
      filters: Record<string, string> = {},
    ): Promise<T[]> {
      const items: T[] = [];
      let cursor: string | null = null;
      do {
        const query: URLSearchParams = new URLSearchParams({
          page_size: '100',
          order: 'asc',
          ...filters,
          ...(cursor ? { cursor } : {}),
        });
        const page: Page<T> = await parsed('GET', `${path}?${query}`, pageEnvelope(plural, schema));
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    },

    create<T>(path: string, key: string, schema: z.ZodType<T>, input: unknown): Promise<T> {
      return parsed('POST', path, itemEnvelope(key, schema), { [key]: input }) as Promise<T>;
    },

    update<T>(path: string, key: string, schema: z.ZodType<T>, patch: unknown): Promise<T> {
      return parsed('PATCH', path, itemEnvelope(key, schema), { [key]: patch }) as Promise<T>;
    },

    /** Deletes; an object already gone counts as deleted. */
    async remove(path: string): Promise<void> {
      const { status, json } = await call('DELETE', path);
      if (status !== 404 && (status < 200 || status > 299)) fail('DELETE', path, status, json);
    },
  };
}

export type ImportApi = ReturnType<typeof createImportApi>;
