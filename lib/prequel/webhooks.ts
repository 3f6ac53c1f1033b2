// Monitoring through the Import API: webhook subscriptions to pipeline events, and the key that
// verifies signatures.
import 'server-only';
import { z } from 'zod';
import { prequelFetch, type PrequelResult } from './client';
import { type WebhookCreateSchema, WebhookSchema } from './contract/webhook';
import { crudEndpoints } from './crud';
import { itemEnvelope } from './envelope';

const webhooks = crudEndpoints<typeof WebhookSchema, z.input<typeof WebhookCreateSchema>>({
  key: 'webhook',
  plural: 'webhooks',
  path: '/webhooks',
  schema: WebhookSchema,
});
export const createWebhook = webhooks.create;
export const listWebhooks = webhooks.list;
export const getWebhook = webhooks.get;
export const updateWebhook = webhooks.update;
export const deleteWebhook = webhooks.remove;

const publicKey = itemEnvelope('public_key', z.string().startsWith('-----BEGIN PUBLIC KEY-----'));

/** The PEM public key that verifies the signatures of deliveries and monitoring events. */
export function getWebhookPublicKey(): Promise<PrequelResult<string>> {
  return prequelFetch('/public/signatures/webhook-public-key', publicKey);
}
