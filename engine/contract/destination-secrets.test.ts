import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DestinationCreateSchema } from '../../lib/prequel/contract/destination';
import { migrate } from '../store/migrate';
import { uuidv7 } from '../store/uuid';
import { create } from '../testing/fixtures';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { loadAndWait } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// Issue 15 §3: credential headers of destinations are secrets like source passwords.
let api: TestEngine;
let source: SourceDatabase;
let receiver: http.Server;
let port: number;
const received: { path: string; headers: http.IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  api = await startTestEngine({
    jobs: { load: { maxAttempts: 1, maxWaitMs: 100, timeoutMs: 3000 } },
  });
  source = await createSourceDatabase({
    customers: 2,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  receiver = http.createServer((req, res) => {
    received.push({ path: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => res.end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(async () => {
  receiver.closeAllConnections();
  receiver.close();
  await api.close();
  await source.drop();
});

type Template = { uri: string; headers?: Record<string, string>; secret_headers?: string[] };
type DestinationBody = {
  data: { destination: { id: string; webhook_record: { request_template: Template } } };
};
type ErrorBody = {
  message: string;
  error: { code: string; details: { path: string; message: string }[] };
};

const canaries = () => ({
  bearer: `canary-bearer-${randomBytes(8).toString('hex')}`,
  key: `canary-key-${randomBytes(8).toString('hex')}`,
  custom: `canary-custom-${randomBytes(8).toString('hex')}`,
});

const destinationBody = (uri: string, secrets: ReturnType<typeof canaries>) => ({
  destination: {
    name: `secret-headers-${randomBytes(4).toString('hex')}`,
    type: 'webhook_record',
    record_schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    webhook_record: {
      request_template: {
        uri,
        headers: {
          Authorization: `Bearer ${secrets.bearer}`,
          'x-api-KEY': secrets.key,
          'X-Tenant-Signature': secrets.custom,
          Accept: 'application/json',
        },
        secret_headers: ['x-tenant-signature'],
      },
    },
  },
});

const headersPath = 'destination.webhook_record.request_template.headers';
const patchDestination = (id: string, destination: Record<string, unknown>, query = '') =>
  api.request<DestinationBody & ErrorBody>('PATCH', `/import/destinations/${id}${query}`, {
    destination,
  });
const sealed = async (id: string) => {
  const row = (
    await api.database.db.query<{ secrets: Buffer | null; body: unknown }>(
      'select secrets, body from destinations where id = $1',
      [id],
    )
  ).rows[0]!;
  return {
    body: row.body,
    secrets: row.secrets ? api.engine.secretBox.open(`destination:${id}`, row.secrets) : null,
  };
};

describe('credential headers are write-only', () => {
  test('never returned, listed by name, stored sealed, never audited or logged in clear', async () => {
    const secrets = canaries();
    const created = await create(
      api,
      '/import/destinations',
      destinationBody(`http://localhost:${port}/records`, secrets),
      'destination',
    );
    const template = (created.webhook_record as { request_template: Template }).request_template;
    expect(template.headers).toEqual({ Accept: 'application/json' });
    expect(template.secret_headers).toEqual(['Authorization', 'x-api-KEY', 'X-Tenant-Signature']);

    await api.request('GET', `/import/destinations/${created.id}`);
    await api.request('GET', '/import/destinations?page_size=100');
    expect((await patchDestination(created.id, { name: 'renamed' })).status).toBe(200);
    expect(
      (
        await patchDestination(created.id, {
          webhook_record: { request_template: { uri: `http://localhost:${port}/other-path` } },
        })
      ).status,
    ).toBe(200);
    await api.request('GET', `/logs?resource_id=${created.id}`);

    const stored = await sealed(created.id);
    expect(stored.secrets).toEqual({
      'webhook_record.request_template.headers.Authorization': `Bearer ${secrets.bearer}`,
      'webhook_record.request_template.headers.x-api-KEY': secrets.key,
      'webhook_record.request_template.headers.X-Tenant-Signature': secrets.custom,
    });
    const audit = await api.database.db.query(
      'select object, previous_object from audit_logs where resource_id = $1',
      [created.id],
    );
    expect(audit.rows).toHaveLength(3);
    const everything = [
      ...api.responses,
      ...api.logs,
      JSON.stringify(stored.body),
      JSON.stringify(audit.rows),
    ].join('\n');
    for (const canary of Object.values(secrets)) expect(everything).not.toContain(canary);

    // Deleting audits the read shape too.
    expect((await api.request('DELETE', `/import/destinations/${created.id}`)).status).toBe(200);
    const deleted = await api.database.db.query(
      'select previous_object from audit_logs where resource_id = $1 and event_type = $2',
      [created.id, 'IMPORT_DESTINATION_DELETE'],
    );
    expect(JSON.stringify(deleted.rows)).not.toContain(secrets.bearer);
  });

  test('a template error in a secret header does not quote it', async () => {
    const body = destinationBody(`http://localhost:${port}/records`, canaries());
    body.destination.webhook_record.request_template.headers.Authorization =
      'Bearer {{ canary-in-template';
    const response = await api.request<ErrorBody>('POST', '/import/destinations', body);
    expect(response.status).toBe(422);
    expect(response.body.error.details).toEqual([
      {
        path: `${headersPath}.Authorization`,
        message: expect.stringMatching(/^the secret value does not parse as a template/),
      },
    ]);
    expect(response.text).not.toContain('canary-in-template');
  });

  test('deliveries still carry them', { timeout: 60_000 }, async () => {
    const secrets = canaries();
    const destination = await create(
      api,
      '/import/destinations',
      destinationBody(`http://localhost:${port}/deliveries`, secrets),
      'destination',
    );
    const tenantDataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'customers' },
      type: 'dimension',
      dimension: { primary_key_column: 'id' },
    });
    await extractNow(api, tenantDataset.id);
    const stream = await create(
      api,
      '/import/streams',
      {
        stream: {
          name: 'with credentials',
          dataset_id: tenantDataset.id,
          destination_id: destination.id,
          is_enabled: false,
          mappings: [{ target_field: 'id', field_type: 'field', column: { name: 'id' } }],
        },
      },
      'stream',
    );
    const load = await loadAndWait(api, stream.id);
    expect(load).toMatchObject({ status: 'succeeded', records_loaded: 2 });
    const deliveries = received.filter((hit) => hit.path === '/deliveries');
    expect(deliveries).toHaveLength(2);
    for (const delivery of deliveries) {
      expect(delivery.headers).toMatchObject({
        authorization: `Bearer ${secrets.bearer}`,
        'x-api-key': secrets.key,
        'x-tenant-signature': secrets.custom,
        accept: 'application/json',
      });
    }
  });
});

describe('a credential header follows only its URI host', () => {
  test('a new host, port or scheme without the headers is secret_required on each of them, with or without skip_validation', async () => {
    const created = await create(
      api,
      '/import/destinations',
      destinationBody(`http://localhost:${port}/records`, canaries()),
      'destination',
    );
    for (const [uri, changed] of [
      ['http://attacker.example.com/records', 'the host and port changed'],
      [`http://localhost:${port + 1}/records`, 'the port changed'],
      [`https://localhost:${port}/records`, 'the scheme changed'],
    ] as const) {
      for (const query of ['', '?skip_validation=true']) {
        const response = await patchDestination(
          created.id,
          { webhook_record: { request_template: { uri } } },
          query,
        );
        expect(response.status, response.text).toBe(422);
        expect(response.body.error.code).toBe('secret_required');
        expect(response.body.error.details).toEqual([
          {
            path: `${headersPath}.Authorization`,
            message: `enter the Authorization header again: ${changed}`,
          },
          {
            path: `${headersPath}.x-api-KEY`,
            message: `enter the x-api-KEY header again: ${changed}`,
          },
          {
            path: `${headersPath}.X-Tenant-Signature`,
            message: `enter the X-Tenant-Signature header again: ${changed}`,
          },
        ]);
      }
    }
    const unchanged = await api.request<DestinationBody>(
      'GET',
      `/import/destinations/${created.id}`,
    );
    expect(unchanged.body.data.destination.webhook_record.request_template.uri).toBe(
      `http://localhost:${port}/records`,
    );
  });

  test('a new host with every secret header sent again is accepted, and only the new values are kept', async () => {
    const created = await create(
      api,
      '/import/destinations',
      destinationBody(`http://localhost:${port}/records`, canaries()),
      'destination',
    );
    const fresh = canaries();
    const partial = await patchDestination(
      created.id,
      {
        webhook_record: {
          request_template: {
            uri: 'http://elsewhere.example.com/r',
            headers: { Authorization: `Bearer ${fresh.bearer}` },
          },
        },
      },
      '?skip_validation=true',
    );
    expect(partial.body.error.details.map((detail) => detail.path)).toEqual([
      `${headersPath}.x-api-KEY`,
      `${headersPath}.X-Tenant-Signature`,
    ]);
    const moved = await patchDestination(
      created.id,
      {
        webhook_record: {
          request_template: {
            uri: 'http://elsewhere.example.com/r',
            headers: {
              Authorization: `Bearer ${fresh.bearer}`,
              'x-api-KEY': fresh.key,
              'X-Tenant-Signature': null,
            },
          },
        },
      },
      '?skip_validation=true',
    );
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.data.destination.webhook_record.request_template).toMatchObject({
      headers: { Accept: 'application/json' },
      secret_headers: ['Authorization', 'x-api-KEY'],
    });
    expect((await sealed(created.id)).secrets).toEqual({
      'webhook_record.request_template.headers.Authorization': `Bearer ${fresh.bearer}`,
      'webhook_record.request_template.headers.x-api-KEY': fresh.key,
    });
  });

  test('a header listed as secret cannot be unlisted into the clear without its value', async () => {
    const secrets = canaries();
    const created = await create(
      api,
      '/import/destinations',
      destinationBody(`http://localhost:${port}/records`, secrets),
      'destination',
    );
    const unlisted = await patchDestination(created.id, {
      webhook_record: { request_template: { secret_headers: [] } },
    });
    expect(unlisted.status).toBe(422);
    expect(unlisted.body.error).toMatchObject({
      code: 'secret_required',
      details: [
        {
          path: `${headersPath}.X-Tenant-Signature`,
          message:
            'enter the X-Tenant-Signature header again: it would no longer be stored as a secret',
        },
      ],
    });
    expect(unlisted.text).not.toContain(secrets.custom);
    const retyped = await patchDestination(created.id, {
      webhook_record: {
        request_template: {
          secret_headers: [],
          headers: { 'X-Tenant-Signature': 'not-secret-any-more' },
        },
      },
    });
    expect(retyped.body.data.destination.webhook_record.request_template.headers).toEqual({
      Accept: 'application/json',
      'X-Tenant-Signature': 'not-secret-any-more',
    });
  });
});

describe('destinations saved before headers were sealed', () => {
  test(
    'are read without their credential headers, deliver them, and are sealed on their next write',
    { timeout: 60_000 },
    async () => {
      const secrets = canaries();
      const id = uuidv7();
      const legacy = destinationBody(`http://localhost:${port}/legacy`, secrets).destination;
      delete (legacy.webhook_record.request_template as Partial<Template>).secret_headers;
      // What the engine used to store: the create request as parsed, headers in clear.
      const body = DestinationCreateSchema.parse(legacy);
      await api.database.db.query('insert into destinations (id, name, body) values ($1, $2, $3)', [
        id,
        legacy.name,
        JSON.stringify(body),
      ]);

      const read = await api.request<DestinationBody>('GET', `/import/destinations/${id}`);
      // Nothing marked X-Tenant-Signature secret back then: only the credential names are withheld.
      const { secret_headers: names, ...rest } =
        read.body.data.destination.webhook_record.request_template;
      expect(rest).toEqual({
        uri: `http://localhost:${port}/legacy`,
        method: 'POST',
        headers: { Accept: 'application/json', 'X-Tenant-Signature': secrets.custom },
      });
      expect(names?.toSorted()).toEqual(['Authorization', 'x-api-KEY']);
      expect(read.text).not.toContain(secrets.bearer);

      const dataset = await createTableDataset(api, source, {
        table: { source_table_namespace: 'public', source_table_name: 'customers' },
        type: 'dimension',
        dimension: { primary_key_column: 'id' },
      });
      await extractNow(api, dataset.id);
      const stream = await create(
        api,
        '/import/streams',
        {
          stream: {
            name: 'legacy',
            dataset_id: dataset.id,
            destination_id: id,
            is_enabled: false,
            mappings: [{ target_field: 'id', field_type: 'field', column: { name: 'id' } }],
          },
        },
        'stream',
      );
      expect(await loadAndWait(api, stream.id)).toMatchObject({ status: 'succeeded' });
      expect(received.filter((hit) => hit.path === '/legacy')[0]?.headers).toMatchObject({
        authorization: `Bearer ${secrets.bearer}`,
        'x-api-key': secrets.key,
      });

      expect((await patchDestination(id, { name: 'sealed now' })).status).toBe(200);
      const stored = await sealed(id);
      expect(JSON.stringify(stored.body)).not.toContain(secrets.bearer);
      expect(stored.secrets).toMatchObject({
        'webhook_record.request_template.headers.Authorization': `Bearer ${secrets.bearer}`,
      });
      const audit = await api.database.db.query(
        'select object, previous_object from audit_logs where resource_id = $1',
        [id],
      );
      expect(JSON.stringify(audit.rows)).not.toContain(secrets.bearer);
    },
  );

  test('the migration scrubs their values from earlier audit entries', async () => {
    const object = {
      name: 'old',
      type: 'webhook_batch',
      webhook_batch: {
        format: 'json',
        request_template: {
          uri: 'http://x.example/b',
          headers: {
            authorization: 'Bearer old-audit-canary',
            'X-Auth-Token': 'old-token-canary',
            'X-Trace': 'kept',
          },
        },
      },
    };
    const entry = uuidv7();
    await api.database.db.query(
      `insert into audit_logs (id, event_type, resource_id, actor, object, previous_object) values ($1, 'IMPORT_DESTINATION_UPDATE', $2, '{}', $3, $3)`,
      [entry, uuidv7(), JSON.stringify(object)],
    );
    await api.database.db.query(
      `delete from schema_migrations where name = '014_destination_secret_headers.sql'`,
    );
    expect(await migrate(api.database.db)).toEqual(['014_destination_secret_headers.sql']);
    const row = (
      await api.database.db.query<{ object: typeof object; previous_object: unknown }>(
        'select object, previous_object from audit_logs where id = $1',
        [entry],
      )
    ).rows[0]!;
    const { secret_headers: names, ...rest } = row.object.webhook_batch
      .request_template as Template;
    expect(rest).toEqual({ uri: 'http://x.example/b', headers: { 'X-Trace': 'kept' } });
    expect(names?.toSorted()).toEqual(['X-Auth-Token', 'authorization']);
    expect(row.previous_object).toEqual(row.object);
  });
});
