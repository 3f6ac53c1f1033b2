// Server-only client for the Import API; the key never leaves this file.
import 'server-only';
import { z } from 'zod';
import { getServerEnv, type ServerEnv } from '@/lib/env';
import { AUDIT_HEADERS } from './contract/audit-log';
import { currentCaller } from './caller';

const REQUEST_TIMEOUT_MS = 10_000;
export const PROVIDER_HEADER = 'X-Inlet-Provider';

export type PrequelErrorCode =
  | 'not_configured'
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_request'
  | 'rate_limited'
  | 'not_supported'
  | 'invalid_response'
  | 'api_error';

/** A problem with one field of the request, at its path in the body (`source.postgres.port`). */
export type PrequelFieldError = { path: string; message: string };

export type PrequelError = {
  code: PrequelErrorCode;
  message: string;
  status: number | null;
  /**
   * The API's own snake_case code (`vendor_not_supported`, `destination_unreachable`), when it sent
   * one.
   */
  apiCode?: string;
  /** Per-field problems of a 400/422, so a form can show each message next to its field. */
  fields?: PrequelFieldError[];
  /** How long the API asked us to wait (429 with Retry-After). */
  retryAfterSeconds?: number;
};
export type PrequelResult<T> = { ok: true; data: T } | { ok: false; error: PrequelError };

export type QueryValue = string | number | boolean | undefined;
/**
 * (ext) Who asked for a change and why, kept in its audit entry: staff act through the one API key.
 */
export type AuditNote = { actor?: string; reason?: string };
export type PrequelRequest = {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, QueryValue>;
  audit?: AuditNote;
};

const apiErrorBodySchema = z.looseObject({
  message: z.string().optional().catch(undefined),
  error: z
    .looseObject({
      code: z.string().optional().catch(undefined),
      details: z
        .array(z.looseObject({ path: z.string(), message: z.string() }))
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});

// The hosted API may answer `GET /` with a different body than our engine, so only `status` is
// required.
const apiRootSchema = z.looseObject({
  status: z.literal('success'),
  data: z
    .looseObject({ service: z.string().optional(), version: z.string().optional() })
    .optional()
    .catch(undefined),
});

export type ApiStatus = { url: string; service: string | null; version: string | null };

/** An expected failure as a value; `details` carries what the API said beyond its message. */
export function failure(
  code: PrequelErrorCode,
  message: string,
  status: number | null = null,
  details: Pick<PrequelError, 'apiCode' | 'fields' | 'retryAfterSeconds'> = {},
): { ok: false; error: PrequelError } {
  return { ok: false, error: { code, message, status, ...details } };
}

const codeOfStatus: Record<number, PrequelErrorCode> = {
  400: 'invalid_request',
  403: 'forbidden',
  404: 'not_found',
  // The contract: an endpoint the API does not have answers 404 or 405; 405 can only mean that.
  405: 'not_supported',
  409: 'conflict',
  422: 'invalid_request',
  429: 'rate_limited',
};

/** Seconds to wait from a Retry-After header: delta-seconds or an HTTP date. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function apiFailure(
  response: Response,
  body: unknown,
  path: string,
): { ok: false; error: PrequelError } {
  const parsed = apiErrorBodySchema.safeParse(body).data;
  const code = codeOfStatus[response.status] ?? 'api_error';
  const retryAfter =
    response.status === 429 ? retryAfterSeconds(response.headers.get('retry-after')) : undefined;
  const fallback =
    code === 'rate_limited'
      ? `The Import API is rate limiting this ` +
        `key${retryAfter === undefined ? '' : `: retry in ${retryAfter} s`}.`
      : `The Import API answered ${response.status} to ${path}.`;
  const fields = parsed?.error?.details?.map(({ path: fieldPath, message }) => ({
    path: fieldPath,
    message,
  }));
  return failure(code, parsed?.message ?? fallback, response.status, {
    ...(parsed?.error?.code ? { apiCode: parsed.error.code } : {}),
    ...(fields?.length ? { fields } : {}),
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
  });
}

function withQuery(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined) params.set(name, String(value));
  const search = params.toString();
  return search ? `${path}${path.includes('?') ? '&' : '?'}${search}` : path;
}

function unreachableReason(cause: unknown): string {
  if (cause instanceof DOMException && cause.name === 'TimeoutError') {
    return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  }
  const code =
    cause instanceof Error && cause.cause instanceof Error
      ? (cause.cause as NodeJS.ErrnoException).code
      : undefined;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return 'the request failed';
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

// Percent-encoded: a header carries bytes, and a reason may be in any language.
function auditHeaders({ actor, reason }: AuditNote = {}): Record<string, string> {
  return {
    ...(actor ? { [AUDIT_HEADERS.actorLabel]: encodeURIComponent(actor) } : {}),
    ...(reason ? { [AUDIT_HEADERS.reason]: encodeURIComponent(reason) } : {}),
  };
}

/**
 * (ext) The tenant a call is made for, so the engine limits each tenant apart from the key as a
 * whole.
 */
function providerHeader(): Record<string, string> {
  const caller = currentCaller();
  return caller ? { [PROVIDER_HEADER]: encodeURIComponent(caller.providerId) } : {};
}

async function request<T>(
  env: ServerEnv,
  path: `/${string}`,
  schema: z.ZodType<T>,
  init: PrequelRequest,
): Promise<PrequelResult<T>> {
  const baseUrl = env.PREQUEL_API_URL;
  const hasBody = init.body !== undefined;

  let response: Response;
  try {
    response = await fetch(baseUrl + withQuery(path, init.query), {
      method: init.method ?? 'GET',
      headers: {
        'X-API-Key': env.PREQUEL_API_KEY,
        Accept: 'application/json',
        ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
        ...auditHeaders(init.audit),
        ...providerHeader(),
      },
      body: hasBody ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      cache: 'no-store',
    });
  } catch (cause) {
    return failure(
      'unreachable',
      `The Import API at ${baseUrl} is not reachable (${unreachableReason(cause)}): start it ` +
        `with \`npm start\` or set \`PREQUEL_API_URL\`.`,
    );
  }

  if (response.status === 401) {
    return failure('unauthorized', 'The API key was refused: check `PREQUEL_API_KEY`.', 401);
  }

  const body = await readJson(response);
  if (!response.ok) return apiFailure(response, body, path);

  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    // Where the body differs says what changed; the values themselves are not repeated.
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? ` (${issue.path.join('.')}: ${issue.message})` : '';
    return failure(
      'invalid_response',
      `The Import API at ${baseUrl} answered ${path} with an unexpected body${where}: check that ` +
        `\`PREQUEL_API_URL\` points at an Import API.`,
      response.status,
    );
  }
  return { ok: true, data: parsed.data };
}

/**
 * Calls the Import API with the server's key and parses the answer; every expected failure comes
 * back as a value.
 */
export async function prequelFetch<T>(
  path: `/${string}`,
  schema: z.ZodType<T>,
  init: PrequelRequest = {},
): Promise<PrequelResult<T>> {
  const env = getServerEnv();
  if (!env.ok) return failure('not_configured', env.error.message);
  return request(env.data, path, schema, init);
}

/** The documented connectivity check: `GET /` answers 200 when the key is valid. */
export async function getApiStatus(): Promise<PrequelResult<ApiStatus>> {
  const env = getServerEnv();
  if (!env.ok) return failure('not_configured', env.error.message);

  const result = await request(env.data, '/', apiRootSchema, {});
  if (!result.ok) return result;
  return {
    ok: true,
    data: {
      url: env.data.PREQUEL_API_URL,
      service: result.data.data?.service ?? null,
      version: result.data.data?.version ?? null,
    },
  };
}
