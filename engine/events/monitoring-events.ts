// Monitoring events (api-contract.md §6): signed like deliveries and sent to every matching
// /webhooks subscription. Their types are the contract's (MONITORING_EVENT_TYPES); extracts, loads
// and streams report through notify.
import { randomUUID } from 'node:crypto';
import type { MonitoringEventType, WebhookCreate } from '../../lib/prequel/contract/webhook';
import type { RenderedRequest } from '../deliver/render-request';
import { toJson } from '../deliver/render-request';
import { judgeAttempt } from '../deliver/retry-policy';
import { sendRequest } from '../deliver/send-request';
import { signDelivery } from '../deliver/sign-delivery';
import { signingKey } from '../deliver/signing-key';
import type { EngineContext } from '../engine-context';
import { mergeSecrets } from '../secrets/split-secrets';

export const EVENT_VERSION = '2026-11-01';

export interface MonitoringEvent {
  type: MonitoringEventType;
  version: string;
  created_at: string;
  data: Record<string, unknown>;
}

/** The request one subscription's vendor expects for an event. */
export function eventRequest(
  webhook: WebhookCreate,
  event: MonitoringEvent,
): RenderedRequest & { body: string } {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (webhook.api_key) headers.Authorization = `Bearer ${webhook.api_key}`;
  if (webhook.vendor === 'generic_get') {
    const url = new URL(webhook.url);
    url.searchParams.set('type', event.type);
    url.searchParams.set('version', event.version);
    url.searchParams.set('created_at', event.created_at);
    url.searchParams.set('data', toJson(event.data));
    return { method: 'GET', url: url.toString(), headers, body: '' };
  }
  if (webhook.vendor === 'slack') {
    const subject = [
      event.data.dataset_id ? `dataset ${String(event.data.dataset_id)}` : null,
      event.data.stream_id ? `stream ${String(event.data.stream_id)}` : null,
    ]
      .filter(Boolean)
      .join(', ');
    const detail = typeof event.data.message === 'string' ? `: ${event.data.message}` : '';
    return {
      method: 'POST',
      url: webhook.url,
      headers,
      body: toJson({ text: `Inlet ${event.type}${subject ? ` (${subject})` : ''}${detail}` }),
    };
  }
  return { method: 'POST', url: webhook.url, headers, body: toJson(event) };
}

/**
 * Sends the event to every subscription that wants it (no `events` list = every event). Best effort
 * with a few quick retries: a monitoring endpoint that is down never holds up an extract or a load.
 */
export async function emitEvent(
  engine: EngineContext,
  type: MonitoringEventType,
  data: Record<string, unknown>,
): Promise<void> {
  const rows = (
    await engine.db.query<{ id: string; body: Record<string, unknown>; secrets: Buffer | null }>(
      'select id, body, secrets from webhooks',
    )
  ).rows;
  if (!rows.length) return;
  const event: MonitoringEvent = {
    type,
    version: EVENT_VERSION,
    created_at: new Date().toISOString(),
    data,
  };
  const key = await signingKey(engine);
  await Promise.all(
    rows.map(async (row) => {
      const webhook = mergeSecrets(
        row.body,
        row.secrets ? engine.secretBox.open(`webhook:${row.id}`, row.secrets) : {},
      ) as WebhookCreate;
      if (webhook.events?.length && !webhook.events.includes(type)) return;
      const request = eventRequest(webhook, event);
      const deliveryId = randomUUID();
      for (let attempt = 1; attempt <= 3; attempt++) {
        const headers = await signDelivery(request.body, {
          privateKey: key.privateKey,
          providerId: String(data.provider_id ?? ''),
          deliveryId,
        });
        const result = await sendRequest(request, {
          policy: { lookup: engine.lookup, allowPrivateHosts: engine.allowPrivateHosts },
          timeoutMs: 10_000,
          headers: headers as unknown as Record<string, string>,
        });
        const verdict = judgeAttempt(result.outcome);
        if (verdict.action !== 'retry') {
          if (verdict.action !== 'delivered')
            engine.logger.warn('monitoring webhook refused an event', {
              webhook_id: row.id,
              type,
              reason: verdict.reason,
            });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
      engine.logger.warn('monitoring webhook unreachable', { webhook_id: row.id, type });
    }),
  );
}

/** Fire and forget: monitoring never fails the work it reports on. */
export function notify(
  engine: EngineContext,
  type: MonitoringEventType,
  data: Record<string, unknown>,
): void {
  emitEvent(engine, type, data).catch((error: Error) =>
    engine.logger.warn('monitoring event not sent', { type, message: error.message }),
  );
}
