import { WebhookCreateSchema, WebhookSchema, type WebhookCreate } from '../../lib/prequel/contract/webhook';
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
  toResponse: (row) => ({
    id: row.id,
    events: [],
    ...row.body,
    has_api_key: row.secrets !== null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }),
};
