import {
  DOCUMENTED_VENDORS,
  READABLE_VENDORS,
  SourceCreateSchema,
  SourceSchema,
  type SourceCreate,
} from '../../lib/prequel/contract/source';
import { unprocessable } from '../http/api-error';
import {
  type BindSecrets,
  opaqueBlockBindings,
  type SecretBinding,
} from '../secrets/secret-binding';
import { isPlainObject } from '../secrets/split-secrets';
import { requireReference } from './references';
import type { ResourceDefinition } from './resource-definition';

const READABLE: ReadonlySet<string> = new Set(READABLE_VENDORS);

/**
 * A database password goes only where it was entered for: the same host, port, database, user, TLS
 * mode and SSH tunnel. Changing any of them without the password is 422 `secret_required`, so a
 * saved password cannot be redirected to a server that asks for it in clear (test-source with
 * overrides, PATCH).
 */
export const sourceSecretBindings: BindSecrets = (config) =>
  DOCUMENTED_VENDORS.flatMap((vendor): SecretBinding[] => {
    const block = config[vendor];
    if (!isPlainObject(block)) return [];
    if (!READABLE.has(vendor)) return opaqueBlockBindings(config, vendor);
    const auth = isPlainObject(block.password_auth) ? block.password_auth : {};
    const tunnel = isPlainObject(block.ssh_tunnel) ? block.ssh_tunnel : {};
    return [
      {
        path: [vendor, 'password_auth', 'password'],
        label: 'password',
        endpoint: {
          host: block.host,
          port: block.port,
          database: block.database,
          user: auth.username,
          'TLS mode': { disable_ssl: block.disable_ssl === true, ssl_mode: block.ssl_mode ?? null },
          'SSH tunnel':
            block.use_ssh_tunnel === true
              ? [tunnel.ssh_tunnel_host, tunnel.ssh_tunnel_port, tunnel.ssh_tunnel_username]
              : null,
        },
      },
    ];
  });

export const sources: ResourceDefinition<SourceCreate> = {
  key: 'source',
  plural: 'sources',
  table: 'sources',
  path: '/import/sources',
  idType: 'uuid',
  eventPrefix: 'IMPORT_SOURCE',
  createSchema: SourceCreateSchema,
  responseSchema: SourceSchema,
  filters: { provider_id: 'provider_id' },
  immutable: ['provider_id'],
  secretBindings: sourceSecretBindings,
  prepare: async ({ client, input }) => {
    if (!READABLE.has(input.vendor)) {
      throw unprocessable(
        'vendor_not_supported',
        `This engine cannot read ${input.vendor} sources yet; it reads ` +
          `${READABLE_VENDORS.join(' and ')}. Use the hosted Prequel API for ${input.vendor}.`,
        [{ path: 'source.vendor', message: 'is not supported by this engine' }],
      );
    }
    await requireReference(
      client,
      'providers',
      input.provider_id,
      'source.provider_id',
      'provider',
    );
    // A changed connection must be tested again before it counts as reachable.
    return {
      provider_id: input.provider_id,
      name: input.name,
      vendor: input.vendor,
      is_reachable: null,
      is_valid: null,
    };
  },
  toResponse: (row) => {
    const vendor = String(row.vendor);
    const block = isPlainObject(row.body[vendor]) ? row.body[vendor] : {};
    const username = isPlainObject(block.password_auth) ? block.password_auth.username : undefined;
    return {
      id: row.id,
      ...row.body,
      [vendor]: {
        ...block,
        ...(username !== undefined ? { username } : {}),
        is_valid: row.is_valid ?? null,
      },
      is_reachable: row.is_reachable ?? null,
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  },
  references: [
    {
      what: 'datasets',
      sql: 'select name as label from datasets where source_id = $1 order by created_at limit 10',
    },
  ],
};
