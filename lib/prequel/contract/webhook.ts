import { z } from 'zod';
import { SecretSchema, TimestampSchema, UuidSchema } from './common';

export const MONITORING_EVENT_TYPES = [
  'extract.succeeded',
  'extract.failed',
  'load.succeeded',
  'load.failed',
  'load.partially_failed',
  'source.unreachable',
  'stream.disabled',
  'dataset.schema_changed',
] as const;
export type MonitoringEventType = (typeof MONITORING_EVENT_TYPES)[number];

export const WEBHOOK_VENDORS = [
  'generic_post',
  'generic_get',
  'slack',
  'pagerduty',
  'datadog',
] as const;

export const WebhookCreateSchema = z.object({
  vendor: z.enum(WEBHOOK_VENDORS),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048),
  api_key: SecretSchema.optional(),
  events: z.array(z.enum(MONITORING_EVENT_TYPES)).max(MONITORING_EVENT_TYPES.length).optional(),
});
export type WebhookCreate = z.infer<typeof WebhookCreateSchema>;

export const WebhookSchema = z.looseObject({
  id: UuidSchema,
  vendor: z.enum(WEBHOOK_VENDORS),
  url: z.string(),
  events: z.array(z.string()),
  has_api_key: z.boolean(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Webhook = z.infer<typeof WebhookSchema>;
