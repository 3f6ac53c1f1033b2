import {
  DestinationCreateSchema,
  DestinationSchema,
  type DestinationCreate,
  isSecretHeader,
  type RequestTemplate,
} from '../../lib/prequel/contract/destination';
import type { EngineContext } from '../engine-context';
import { type ErrorDetail, unprocessable } from '../http/api-error';
import { parseHost, vetHost } from '../net/host-policy';
import { type BindSecrets, type SecretBinding, urlEndpoint } from '../secrets/secret-binding';
import { isPlainObject } from '../secrets/split-secrets';
import { compileTemplate } from '../transform/go-template/compile-template';
import { compileRecordSchema } from '../validation/record-schema';
import type { ResourceDefinition } from './resource-definition';
import { revalidateStreamsOf } from './streams';

function templateErrors(template: RequestTemplate, path: string): ErrorDetail[] {
  const parts: [string, string | undefined, boolean][] = [
    [`${path}.uri`, template.uri, false],
    [`${path}.body`, template.body, false],
    ...Object.entries(template.headers ?? {}).map(([name, value]): [string, string, boolean] => [
      `${path}.headers.${name}`,
      value,
      isSecretHeader(name, template.secret_headers),
    ]),
  ];
  return parts.flatMap(([partPath, source, secret]) => {
    if (source === undefined) return [];
    const compiled = compileTemplate(source);
    if (compiled.ok) return [];
    const { line, column } = compiled.error.position;
    // A parse error may quote the text around it: never for a secret header.
    const what = secret ? 'the secret value does not parse as a template' : compiled.error.message;
    return [{ path: partPath, message: `${what} (line ${line}, column ${column})` }];
  });
}

/** The scheme, host and port of a URI template whose authority has no template actions. */
function literalEndpoint(uri: string): { scheme: string; host: string; port: number } | null {
  const match = /^(https?):\/\/([^/?#]+)/i.exec(uri);
  if (!match || match[2]!.includes('{{')) return null;
  try {
    const url = new URL(`${match[1]}://${match[2]}`);
    const scheme = url.protocol.replace(':', '').toLowerCase();
    return {
      scheme,
      host: url.hostname,
      port: url.port ? Number(url.port) : scheme === 'https' ? 443 : 80,
    };
  } catch {
    return null;
  }
}

/**
 * The URI host passes the host policy of source hosts (no loopback, private or link-local address
 * unless INLET_ALLOW_PRIVATE_HOSTS, never a metadata address), then the probe connects to the
 * vetted address. With skip_validation nothing is resolved or connected to, but an address literal
 * is still judged.
 */
async function checkEndpoint(
  uri: string,
  path: string,
  engine: Pick<EngineContext, 'lookup' | 'allowPrivateHosts' | 'probeHost'>,
  skipValidation: boolean,
) {
  if (!/^https?:\/\//i.test(uri)) {
    throw unprocessable(
      'invalid_template',
      'The request URI must start with http:// or https://.',
      [{ path, message: 'must be an http(s) URL' }],
    );
  }
  const endpoint = literalEndpoint(uri);
  if (!endpoint) return;
  if (skipValidation && parseHost(endpoint.host).kind !== 'ip') return;
  const vetted = await vetHost(endpoint.host, engine);
  if (!vetted.ok && vetted.reason !== 'not_resolvable') {
    throw unprocessable(vetted.reason, `The destination's host is not allowed: ${vetted.message}`, [
      { path, message: vetted.message },
    ]);
  }
  if (skipValidation) return;
  const result = vetted.ok
    ? await engine.probeHost(vetted.address, endpoint.port)
    : ({ ok: false, message: `the name "${endpoint.host}" does not resolve` } as const);
  if (!result.ok) {
    // The probe names the address it connected to; the customer wrote a host name.
    const message = vetted.ok
      ? result.message.replace(
          `${vetted.address}:${endpoint.port}`,
          `${endpoint.host}:${endpoint.port}`,
        )
      : result.message;
    throw unprocessable(
      'destination_unreachable',
      `Could not reach the destination: ${message}. Check the URI, or create it anyway with ` +
        `?skip_validation=true.`,
      [{ path, message }],
    );
  }
}

const TEMPLATE_BLOCKS = ['webhook_record', 'webhook_batch'] as const;

const listedSecretHeaders = (template: Record<string, unknown>) =>
  Array.isArray(template.secret_headers)
    ? template.secret_headers.filter((name): name is string => typeof name === 'string')
    : [];

/** Credential headers (write-only, encrypted) are bound to the URI's scheme, host and port. */
export const destinationSecretBindings: BindSecrets = (config) =>
  TEMPLATE_BLOCKS.flatMap((type): SecretBinding[] => {
    const block = config[type];
    const template =
      isPlainObject(block) && isPlainObject(block.request_template) ? block.request_template : null;
    if (!template || !isPlainObject(template.headers)) return [];
    const listed = listedSecretHeaders(template);
    const endpoint = urlEndpoint(template.uri);
    return Object.keys(template.headers)
      .filter((name) => isSecretHeader(name, listed))
      .map((name) => ({
        path: [type, 'request_template', 'headers', name],
        label: `${name} header`,
        endpoint,
      }));
  });

/** secret_headers as stored and read: exactly the secret headers that have a value. */
function normaliseSecretHeaders(template: RequestTemplate) {
  const secret = Object.keys(template.headers ?? {}).filter((name) =>
    isSecretHeader(name, template.secret_headers),
  );
  if (secret.length) template.secret_headers = secret;
  else delete template.secret_headers;
}

/**
 * The read shape never carries a secret header's value, even from a row written before they were
 * sealed.
 */
function withoutSecretHeaders(body: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(body);
  for (const type of TEMPLATE_BLOCKS) {
    const block = out[type];
    const template =
      isPlainObject(block) && isPlainObject(block.request_template) ? block.request_template : null;
    if (!template || !isPlainObject(template.headers)) continue;
    const listed = listedSecretHeaders(template);
    const secret = Object.keys(template.headers).filter((name) => isSecretHeader(name, listed));
    if (!secret.length) continue;
    template.headers = Object.fromEntries(
      Object.entries(template.headers).filter(([name]) => !secret.includes(name)),
    );
    template.secret_headers = [...new Set([...listed, ...secret])];
  }
  return out;
}

export const destinations: ResourceDefinition<DestinationCreate> = {
  key: 'destination',
  plural: 'destinations',
  table: 'destinations',
  path: '/import/destinations',
  idType: 'uuid',
  eventPrefix: 'IMPORT_DESTINATION',
  createSchema: DestinationCreateSchema,
  responseSchema: DestinationSchema,
  immutable: ['type'],
  secretBindings: destinationSecretBindings,
  prepare: async ({ client, engine, id, input, existing, skipValidation }) => {
    if (input.type === 'kafka_topic') {
      throw unprocessable(
        'destination_type_not_supported',
        'Kafka destinations are not supported by this engine yet: use webhook_record or ' +
          'webhook_batch.',
        [{ path: 'destination.type', message: 'is not supported yet' }],
      );
    }
    if (input.webhook_batch?.format === 'iceberg') {
      throw unprocessable(
        'format_not_supported',
        'Iceberg batches are not supported: use json, csv or parquet.',
        [{ path: 'destination.webhook_batch.format', message: 'is not supported' }],
      );
    }
    const schema = compileRecordSchema(input.record_schema, 'destination.record_schema');
    if (!schema.ok)
      throw unprocessable(
        'invalid_record_schema',
        'record_schema is not a valid JSON Schema (draft-07) for an object.',
        schema.details,
      );

    const block = input.type === 'webhook_record' ? input.webhook_record : input.webhook_batch;
    const templatePath = `destination.${input.type}.request_template`;
    if (block) {
      const errors = templateErrors(block.request_template, templatePath);
      if (errors.length)
        throw unprocessable('invalid_template', 'A request template does not parse.', errors);
      await checkEndpoint(
        block.request_template.uri,
        `${templatePath}.uri`,
        engine,
        skipValidation,
      );
      normaliseSecretHeaders(block.request_template);
    }
    // Other keys of the body are not used by the chosen type.
    for (const other of ['webhook_record', 'webhook_batch', 'kafka_topic'] as const)
      if (other !== input.type) delete input[other];
    if (existing)
      await revalidateStreamsOf(client, { destinationId: id, recordSchema: input.record_schema });
    return { name: input.name };
  },
  toResponse: (row) => ({
    id: row.id,
    ...withoutSecretHeaders(row.body),
    created_at: row.created_at,
    updated_at: row.updated_at,
  }),
  references: [
    {
      what: 'streams',
      sql:
        'select name as label from streams where destination_id = $1 order by created_at ' +
        'limit 10',
    },
    {
      what: 'products',
      sql:
        'select p.name as label from product_destinations pd join products p on p.id = ' +
        'pd.product_id where pd.destination_id = $1 order by p.name limit 10',
    },
  ],
};
