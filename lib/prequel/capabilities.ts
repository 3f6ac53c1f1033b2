// Which (ext) parts of the contract the configured Import API offers, read from its OpenAPI
// document.
import 'server-only';
import { z } from 'zod';
import { getServerEnv } from '@/lib/env';
import { failure, prequelFetch, type PrequelErrorCode, type PrequelResult } from './client';

export type Capabilities = {
  /**
   * `GET /import/sources/{id}/tables`: browse tables with search and paging; without it the wizard
   * asks for the table's name.
   */
  tables: boolean;
  /**
   * `provider_id` filters on source, dataset and stream lists; without them lists are filtered
   * here.
   */
  providerFilter: boolean;
  /** test-source answers a checklist (dns, tcp, tls, auth, privileges); without it, one message. */
  connectionChecks: boolean;
  /** Extracts report rows read of the estimated rows; without it progress is indeterminate. */
  extractProgress: boolean;
  /**
   * Previews report errors per record and target field; without them a preview cannot mark cells.
   */
  previewFieldErrors: boolean;
  /**
   * The audit log filters by `provider_id`; without it a tenant's entries are picked out here, page
   * by page.
   */
  auditProviderFilter: boolean;
  /**
   * `POST /import/extracts/{id}/cancel` and `/import/loads/{id}/cancel`; without them no Cancel is
   * offered.
   */
  cancel: boolean;
  /**
   * Extracts take `full_refresh` and loads `redeliver`: support can re-sync a dataset and redeliver
   * a stream.
   */
  resync: boolean;
  /**
   * `GET /import/status/providers`: every tenant's health in one paged call; without it the console
   * reads each tenant's status, capped.
   */
  healthSummaries: boolean;
  /**
   * `GET /import/providers/{id}/status`: one tenant's status page in one call; without it, a call
   * per dataset and stream.
   */
  providerStatus: boolean;
  /**
   * `POST /import/providers/{id}/support-events`: support actions taken outside the API (a
   * reconnect link sent) join the tenant's audit trail; without it they are not recorded there.
   */
  supportEvents: boolean;
};

const NONE: Capabilities = {
  tables: false,
  providerFilter: false,
  connectionChecks: false,
  extractProgress: false,
  previewFieldErrors: false,
  auditProviderFilter: false,
  cancel: false,
  resync: false,
  healthSummaries: false,
  providerStatus: false,
  supportEvents: false,
};

const CACHE_MS = 60_000;

// Failures that say nothing about the API's extensions: try again next time instead of caching
// "none".
const TRANSIENT: ReadonlySet<PrequelErrorCode> = new Set([
  'not_configured',
  'unreachable',
  'unauthorized',
  'rate_limited',
  'api_error',
]);

const OpenApiSchema = z.looseObject({
  openapi: z.string(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});
type OpenApi = z.infer<typeof OpenApiSchema>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Follows a local `$ref` (`#/components/schemas/Source`) so documents that share schemas read the
 * same.
 */
function resolve(doc: OpenApi, value: unknown): unknown {
  if (!isObject(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/'))
    return value;
  let target: unknown = doc;
  for (const part of value.$ref.slice(2).split('/'))
    target = isObject(target) ? target[part] : undefined;
  return target;
}

function operation(doc: OpenApi, path: string, method: string): Record<string, unknown> | null {
  const found = resolve(doc, doc.paths[path]?.[method]);
  return isObject(found) ? found : null;
}

function hasQueryParameter(doc: OpenApi, path: string, name: string): boolean {
  const parameters = operation(doc, path, 'get')?.parameters;
  return (
    Array.isArray(parameters) &&
    parameters.some(
      (parameter) =>
        isObject(resolve(doc, parameter)) &&
        (resolve(doc, parameter) as { name?: unknown }).name === name,
    )
  );
}

/**
 * Whether the success response of an operation declares the property at `propertyPath`
 * (`data.extract.progress`).
 */
function declaresResponseProperty(
  doc: OpenApi,
  path: string,
  method: string,
  propertyPath: string[],
): boolean {
  const responses = operation(doc, path, method)?.responses;
  if (!isObject(responses)) return false;
  const success = Object.entries(responses).find(([status]) => /^2\d\d$/.test(status))?.[1];
  const content = resolve(doc, success);
  let schema =
    isObject(content) && isObject(content.content)
      ? (content.content['application/json'] as { schema?: unknown } | undefined)?.schema
      : undefined;
  for (const name of propertyPath) {
    const resolved = resolve(doc, schema);
    schema =
      isObject(resolved) && isObject(resolved.properties) ? resolved.properties[name] : undefined;
  }
  return schema !== undefined;
}

/** Whether the JSON request body of an operation declares a top-level property. */
function declaresRequestProperty(
  doc: OpenApi,
  path: string,
  method: string,
  property: string,
): boolean {
  const body = resolve(doc, operation(doc, path, method)?.requestBody);
  const schema = resolve(
    doc,
    isObject(body) && isObject(body.content)
      ? (body.content['application/json'] as { schema?: unknown } | undefined)?.schema
      : undefined,
  );
  return isObject(schema) && isObject(schema.properties) && property in schema.properties;
}

/** Pure: the capabilities an OpenAPI document declares; anything that is not one reads as none. */
export function capabilitiesOf(document: unknown): Capabilities {
  const parsed = OpenApiSchema.safeParse(document);
  if (!parsed.success) return NONE;
  const doc = parsed.data;
  return {
    tables: operation(doc, '/import/sources/{id}/tables', 'get') !== null,
    providerFilter: ['/import/sources', '/import/datasets', '/import/streams'].every((path) =>
      hasQueryParameter(doc, path, 'provider_id'),
    ),
    connectionChecks: declaresResponseProperty(doc, '/import/test-source', 'post', [
      'data',
      'checks',
    ]),
    extractProgress: declaresResponseProperty(doc, '/import/extracts/{id}', 'get', [
      'data',
      'extract',
      'progress',
    ]),
    previewFieldErrors: declaresResponseProperty(
      doc,
      '/import/streams/{id}/test-transform',
      'post',
      ['data', 'errors'],
    ),
    auditProviderFilter: hasQueryParameter(doc, '/logs', 'provider_id'),
    cancel:
      operation(doc, '/import/extracts/{id}/cancel', 'post') !== null &&
      operation(doc, '/import/loads/{id}/cancel', 'post') !== null,
    resync:
      declaresRequestProperty(doc, '/import/datasets/{id}/extract', 'post', 'full_refresh') &&
      declaresRequestProperty(doc, '/import/streams/{id}/load', 'post', 'redeliver'),
    healthSummaries: operation(doc, '/import/status/providers', 'get') !== null,
    providerStatus: operation(doc, '/import/providers/{id}/status', 'get') !== null,
    supportEvents: operation(doc, '/import/providers/{id}/support-events', 'post') !== null,
  };
}

const cache = new Map<
  string,
  { expiresAt: number; capabilities: Promise<PrequelResult<Capabilities>> }
>();

async function probe(): Promise<PrequelResult<Capabilities>> {
  // Our engine serves its document (ext); the hosted API answers 404, which means "none of the
  // extensions".
  const result = await prequelFetch('/openapi.json', z.unknown());
  if (!result.ok) return TRANSIENT.has(result.error.code) ? result : { ok: true, data: NONE };
  return { ok: true, data: capabilitiesOf(result.data) };
}

/**
 * The (ext) features of the configured API, probed once a minute; the core flow never depends on
 * them.
 */
export async function getCapabilities(): Promise<PrequelResult<Capabilities>> {
  const env = getServerEnv();
  if (!env.ok) return failure('not_configured', env.error.message);
  const key = env.data.PREQUEL_API_URL;
  const cached = cache.get(key);
  if (cached && cached.expiresAt > Date.now()) return cached.capabilities;

  const capabilities = probe();
  cache.set(key, { expiresAt: Date.now() + CACHE_MS, capabilities });
  const result = await capabilities;
  if (!result.ok) cache.delete(key);
  return result;
}

/**
 * `not_supported` (without calling the API) when the feature is missing, so the caller can hide or
 * degrade it.
 */
export async function requireCapability(
  name: keyof Capabilities,
  feature: string,
): Promise<PrequelResult<true>> {
  const capabilities = await getCapabilities();
  if (!capabilities.ok) return capabilities;
  if (!capabilities.data[name]) {
    return failure('not_supported', `The Import API at this address does not offer ${feature}.`);
  }
  return { ok: true, data: true };
}
