import { DestinationCreateSchema, DestinationSchema, type DestinationCreate, type RequestTemplate } from '../../lib/prequel/contract/destination';
import { type ErrorDetail, unprocessable } from '../http/api-error';
import type { HostProbe } from '../net/host-probe';
import { compileTemplate } from '../transform/go-template/compile-template';
import { compileRecordSchema } from '../validation/record-schema';
import type { ResourceDefinition } from './resource-definition';
import { revalidateStreamsOf } from './streams';

function templateErrors(template: RequestTemplate, path: string): ErrorDetail[] {
  const parts: [string, string | undefined][] = [
    [`${path}.uri`, template.uri],
    [`${path}.body`, template.body],
    ...Object.entries(template.headers ?? {}).map(([name, value]): [string, string] => [`${path}.headers.${name}`, value]),
  ];
  return parts.flatMap(([partPath, source]) => {
    if (source === undefined) return [];
    const compiled = compileTemplate(source);
    if (compiled.ok) return [];
    const { line, column } = compiled.error.position;
    return [{ path: partPath, message: `${compiled.error.message} (line ${line}, column ${column})` }];
  });
}

/** The scheme, host and port of a URI template whose authority has no template actions. */
function literalEndpoint(uri: string): { scheme: string; host: string; port: number } | null {
  const match = /^(https?):\/\/([^/?#]+)/i.exec(uri);
  if (!match || match[2]!.includes('{{')) return null;
  try {
    const url = new URL(`${match[1]}://${match[2]}`);
    const scheme = url.protocol.replace(':', '').toLowerCase();
    return { scheme, host: url.hostname, port: url.port ? Number(url.port) : scheme === 'https' ? 443 : 80 };
  } catch {
    return null;
  }
}

async function checkEndpoint(uri: string, path: string, probeHost: HostProbe) {
  if (!/^https?:\/\//i.test(uri)) {
    throw unprocessable('invalid_template', 'The request URI must start with http:// or https://.', [{ path, message: 'must be an http(s) URL' }]);
  }
  const endpoint = literalEndpoint(uri);
  if (!endpoint) return;
  const result = await probeHost(endpoint.host, endpoint.port);
  if (!result.ok) {
    throw unprocessable(
      'destination_unreachable',
      `Could not reach the destination: ${result.message}. Check the URI, or create it anyway with ?skip_validation=true.`,
      [{ path, message: result.message }],
    );
  }
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
  prepare: async ({ client, engine, id, input, existing, skipValidation }) => {
    if (input.type === 'kafka_topic') {
      throw unprocessable('destination_type_not_supported', 'Kafka destinations are not supported by this engine yet: use webhook_record or webhook_batch.', [
        { path: 'destination.type', message: 'is not supported yet' },
      ]);
    }
    if (input.webhook_batch?.format === 'iceberg') {
      throw unprocessable('format_not_supported', 'Iceberg batches are not supported: use json, csv or parquet.', [
        { path: 'destination.webhook_batch.format', message: 'is not supported' },
      ]);
    }
    const schema = compileRecordSchema(input.record_schema, 'destination.record_schema');
    if (!schema.ok) throw unprocessable('invalid_record_schema', 'record_schema is not a valid JSON Schema (draft-07) for an object.', schema.details);

    const block = input.type === 'webhook_record' ? input.webhook_record : input.webhook_batch;
    const templatePath = `destination.${input.type}.request_template`;
    if (block) {
      const errors = templateErrors(block.request_template, templatePath);
      if (errors.length) throw unprocessable('invalid_template', 'A request template does not parse.', errors);
      if (!skipValidation) await checkEndpoint(block.request_template.uri, `${templatePath}.uri`, engine.probeHost);
    }
    // Other keys of the body are not used by the chosen type.
    for (const other of ['webhook_record', 'webhook_batch', 'kafka_topic'] as const) if (other !== input.type) delete input[other];
    if (existing) await revalidateStreamsOf(client, { destinationId: id, recordSchema: input.record_schema });
    return { name: input.name };
  },
  toResponse: (row) => ({ id: row.id, ...row.body, created_at: row.created_at, updated_at: row.updated_at }),
  references: [
    { what: 'streams', sql: 'select name as label from streams where destination_id = $1 order by created_at limit 10' },
    {
      what: 'products',
      sql: 'select p.name as label from product_destinations pd join products p on p.id = pd.product_id where pd.destination_id = $1 order by p.name limit 10',
    },
  ],
};
