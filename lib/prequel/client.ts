// Server-only client for the Import API; the key never leaves this file.
import 'server-only';
import { z } from 'zod';
import { getServerEnv, type ServerEnv } from '@/lib/env';

const REQUEST_TIMEOUT_MS = 10_000;

export type PrequelErrorCode = 'not_configured' | 'unreachable' | 'unauthorized' | 'invalid_response' | 'api_error';
export type PrequelError = { code: PrequelErrorCode; message: string; status: number | null };
export type PrequelResult<T> = { ok: true; data: T } | { ok: false; error: PrequelError };

export type PrequelRequest = { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown };

const apiErrorBodySchema = z.looseObject({ message: z.string().optional() });

// The hosted API may answer `GET /` with a different body than our engine, so only `status` is required.
const apiRootSchema = z.looseObject({
  status: z.literal('success'),
  data: z
    .looseObject({ service: z.string().optional(), version: z.string().optional() })
    .optional()
    .catch(undefined),
});

export type ApiStatus = { url: string; service: string | null; version: string | null };

function failure(code: PrequelErrorCode, message: string, status: number | null = null): { ok: false; error: PrequelError } {
  return { ok: false, error: { code, message, status } };
}

function unreachableReason(cause: unknown): string {
  if (cause instanceof DOMException && cause.name === 'TimeoutError') {
    return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  }
  const code = cause instanceof Error && cause.cause instanceof Error ? (cause.cause as NodeJS.ErrnoException).code : undefined;
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

async function request<T>(env: ServerEnv, path: `/${string}`, schema: z.ZodType<T>, init: PrequelRequest): Promise<PrequelResult<T>> {
  const baseUrl = env.PREQUEL_API_URL;
  const hasBody = init.body !== undefined;

  let response: Response;
  try {
    response = await fetch(baseUrl + path, {
      method: init.method ?? 'GET',
      headers: {
        'X-API-Key': env.PREQUEL_API_KEY,
        Accept: 'application/json',
        ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      },
      body: hasBody ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      cache: 'no-store',
    });
  } catch (cause) {
    return failure(
      'unreachable',
      `The Import API at ${baseUrl} is not reachable (${unreachableReason(cause)}): start it with \`npm start\` or set \`PREQUEL_API_URL\`.`,
    );
  }

  if (response.status === 401) {
    return failure('unauthorized', 'The API key was refused: check `PREQUEL_API_KEY`.', 401);
  }

  const body = await readJson(response);
  if (!response.ok) {
    const apiMessage = apiErrorBodySchema.safeParse(body).data?.message;
    return failure('api_error', apiMessage ?? `The Import API answered ${response.status} to ${path}.`, response.status);
  }

  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    return failure(
      'invalid_response',
      `The Import API at ${baseUrl} answered ${path} with an unexpected body: check that \`PREQUEL_API_URL\` points at an Import API.`,
      response.status,
    );
  }
  return { ok: true, data: parsed.data };
}

/** Calls the Import API with the server's key; every expected failure comes back as a value. */
export async function prequelFetch<T>(path: `/${string}`, schema: z.ZodType<T>, init: PrequelRequest = {}): Promise<PrequelResult<T>> {
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
