import {
  DatalakeCreateSchema,
  DatalakeSchema,
  type DatalakeCreate,
} from '../../lib/prequel/contract/datalake';
import { endpointRefusal } from '../datalake/s3-endpoint-policy';
import { unprocessable } from '../http/api-error';
import { parseHost } from '../net/host-policy';
import {
  type BindSecrets,
  opaqueBlockBindings,
  type SecretBinding,
} from '../secrets/secret-binding';
import { isPlainObject } from '../secrets/split-secrets';
import type { ResourceDefinition } from './resource-definition';

/**
 * A secret key goes only to the bucket it was entered for: same bucket and region (S3), same bucket
 * and endpoint.
 */
export const datalakeSecretBindings: BindSecrets = (config) => {
  const bindings: SecretBinding[] = [];
  const { s3, s3_compatible: compatible } = config;
  if (isPlainObject(s3)) {
    bindings.push({
      path: ['s3', 'aws_access_keys', 'secret_key'],
      label: 'secret key',
      endpoint: { bucket: s3.bucket_name, region: s3.bucket_region },
    });
  }
  if (isPlainObject(compatible)) {
    bindings.push({
      path: ['s3_compatible', 'secret_key'],
      label: 'secret key',
      endpoint: { bucket: compatible.bucket_name, endpoint: compatible.endpoint },
    });
  }
  return [
    ...bindings,
    ...opaqueBlockBindings(config, 'gcs'),
    ...opaqueBlockBindings(config, 'abs'),
  ];
};

export const datalakes: ResourceDefinition = {
  key: 'datalake',
  plural: 'datalakes',
  table: 'datalakes',
  path: '/import/datalakes',
  idType: 'uuid',
  eventPrefix: 'IMPORT_DATALAKE',
  createSchema: DatalakeCreateSchema,
  responseSchema: DatalakeSchema,
  secretBindings: datalakeSecretBindings,
  prepare: async ({ engine, input, skipValidation }) => {
    // The endpoint passes the host policy of source hosts; with skip_validation only an address
    // literal is judged.
    const endpoint = (input as DatalakeCreate).s3_compatible?.endpoint;
    const host = endpoint ? new URL(endpoint).hostname : null;
    if (endpoint && host && !(skipValidation && parseHost(host).kind !== 'ip')) {
      const refusal = await endpointRefusal(endpoint, engine);
      if (refusal) {
        throw unprocessable(
          'forbidden_address',
          `The datalake's endpoint is not allowed: ${refusal}`,
          [{ path: 'datalake.s3_compatible.endpoint', message: refusal }],
        );
      }
    }
    return { name: input.name };
  },
  toResponse: (row) => ({
    id: row.id,
    ...row.body,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }),
  references: [
    {
      what: 'providers',
      sql: 'select id as label from providers where datalake_id = $1 order by id limit 10',
    },
  ],
};
