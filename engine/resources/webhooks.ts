import {
  WebhookCreateSchema,
  WebhookSchema,
  type WebhookCreate,
} from '../../lib/prequel/contract/webhook';
import { urlEndpoint } from '../secrets/secret-binding';
import type { ResourceDefinition } from './resource-definition';

export const webhooks: ResourceDefinition<WebhookCreate> = {
  key: 'webhook',
  plural: 'webhooks',
  table: 'webhooks',
  path: '/webhooks',
  idType: 'uuid',
  eventPrefix: 'WEBHOOK',
  createSchema: WebhookCreateSchema,
  responseSchema: WebhookSchema,
  // The API key goes only to the scheme, host and port it was entered for.
  secretBindings: (config) =>
    config.api_key !== undefined
      ? [{ path: ['api_key'], label: 'API key', endpoint: urlEndpoint(config.url) }]
      : [],
  toResponse: (row) => ({
    id: row.id,
    events: [],
    ...row.body,
    has_api_key: row.secrets !== null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }),
};
