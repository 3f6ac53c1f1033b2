import { createHash, createVerify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { create } from '../testing/fixtures';
import {
  createTableDataset,
  extractNow,
  startExtract,
  waitForExtract,
} from '../testing/extract-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { eventRequest } from './monitoring-events';

interface Received {
  method: string;
  url: string;
  body: string;
  headers: http.IncomingHttpHeaders;
}
let hooks: http.Server;
let hooksUrl: string;
const received: Received[] = [];
let api: TestEngine;
let source: SourceDatabase;

beforeAll(async () => {
  hooks = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hooksUrl = `http://localhost:${(hooks.address() as AddressInfo).port}`;
  api = await startTestEngine({ jobs: true });
  source = await createSourceDatabase({
    customers: 10,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
});
afterAll(async () => {
  hooks.closeAllConnections();
  hooks.close();
  await api.close();
  await source.drop();
});

async function waitFor<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('not received');
}

describe('monitoring webhooks', () => {
  test(
    'receive signed extract events, only the types they subscribe to',
    { timeout: 60_000 },
    async () => {
      await create(
        api,
        '/webhooks',
        { webhook: { vendor: 'generic_post', url: `${hooksUrl}/all`, api_key: 'hook-token' } },
        'webhook',
      );
      await create(
        api,
        '/webhooks',
        {
          webhook: {
            vendor: 'generic_post',
            url: `${hooksUrl}/failures`,
            events: ['extract.failed', 'source.unreachable'],
          },
        },
        'webhook',
      );
      const dataset = await createTableDataset(api, source, {
        table: { source_table_namespace: 'public', source_table_name: 'customers' },
        type: 'dimension',
        dimension: { primary_key_column: 'id' },
      });
      await extractNow(api, dataset.id);

      const event = await waitFor(() =>
        received.find((hit) => hit.url === '/all' && hit.body.includes('extract.succeeded')),
      );
      const parsed = JSON.parse(event.body) as {
        type: string;
        version: string;
        created_at: string;
        data: Record<string, unknown>;
      };
      expect(parsed).toMatchObject({
        type: 'extract.succeeded',
        version: '2026-11-01',
        data: { dataset_id: dataset.id },
      });
      expect(event.headers.authorization).toBe('Bearer hook-token');
      // Signed exactly like deliveries.
      const publicKey = (
        (await (await fetch(`${api.baseUrl}/public/signatures/webhook-public-key`)).json()) as {
          data: { public_key: string };
        }
      ).data.public_key;
      const verifier = createVerify('sha256');
      verifier.update(`${event.headers['x-prequel-webhook-timestamp']}.${event.body}`);
      expect(
        verifier.verify(publicKey, String(event.headers['x-prequel-webhook-signature']), 'hex'),
      ).toBe(true);
      expect(createHash('sha256').update(event.body).digest('hex')).toBe(
        event.headers['x-prequel-webhook-digest'],
      );
      expect(received.some((hit) => hit.url === '/failures')).toBe(false);

      // A source that cannot be reached: extract.failed and source.unreachable, to both subscriptions.
      const broken = await api.request<{ data: { source: { id: string } } }>(
        'PATCH',
        `/import/sources/${String(dataset.source_id)}`,
        {
          source: {
            postgres: { port: 1, password_auth: { password: 'nothing-listens-on-port-1' } },
          },
        },
      );
      expect(broken.status).toBe(200);
      await waitForExtract(api, (await startExtract(api, dataset.id)).id);
      const failure = await waitFor(() =>
        received.find(
          (hit) => hit.url === '/failures' && hit.body.includes('"source.unreachable"'),
        ),
      );
      expect(JSON.parse(failure.body).data).toMatchObject({
        dataset_id: dataset.id,
        error: { blame: 'source' },
      });
      await waitFor(() =>
        received.find((hit) => hit.url === '/failures' && hit.body.includes('"extract.failed"')),
      );
    },
  );

  test('receive load.succeeded after a load', { timeout: 60_000 }, async () => {
    const dataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'customers' },
      type: 'dimension',
      dimension: { primary_key_column: 'id' },
    });
    const destination = await create(
      api,
      '/import/destinations',
      {
        destination: {
          name: 'hooks',
          type: 'webhook_record',
          record_schema: { type: 'object', properties: { id: { type: 'string' } } },
          webhook_record: { request_template: { uri: `${hooksUrl}/records` } },
        },
      },
      'destination',
    );
    const stream = await create(
      api,
      '/import/streams',
      {
        stream: {
          name: 's',
          dataset_id: dataset.id,
          destination_id: destination.id,
          mappings: [{ target_field: 'id', field_type: 'field', column: { name: 'id' } }],
        },
      },
      'stream',
    );
    await extractNow(api, dataset.id);
    const event = await waitFor(
      () =>
        received.find(
          (hit) =>
            hit.url === '/all' &&
            hit.body.includes('"load.succeeded"') &&
            hit.body.includes(stream.id),
        ),
      30_000,
    );
    expect(JSON.parse(event.body).data).toMatchObject({
      stream_id: stream.id,
      records_loaded: 10,
      records_errored: 0,
    });
  });

  test('generic_get carries the event in the query, slack gets a text message', () => {
    const event = {
      type: 'load.failed' as const,
      version: '2026-11-01',
      created_at: '2026-11-26T10:00:00.000Z',
      data: { stream_id: 's1', message: 'endpoint answered 500' },
    };
    const get = eventRequest({ vendor: 'generic_get', url: 'http://127.0.0.1:9/hook?x=1' }, event);
    expect(get.method).toBe('GET');
    const url = new URL(get.url);
    expect(url.searchParams.get('x')).toBe('1');
    expect(url.searchParams.get('type')).toBe('load.failed');
    expect(JSON.parse(url.searchParams.get('data')!)).toEqual(event.data);
    const slack = eventRequest(
      { vendor: 'slack', url: 'http://127.0.0.1:9/services/T/B/X' },
      event,
    );
    expect(JSON.parse(slack.body)).toEqual({
      text: 'Inlet load.failed (stream s1): endpoint answered 500',
    });
  });
});
