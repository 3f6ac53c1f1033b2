import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSourceDatabase, type SourceDatabase } from '@/engine/testing/source-database';
import { startTestEngine, type TestEngine } from '@/engine/testing/test-engine';
import type { PrequelResult } from './client';
import { TERMINAL_JOB_STATUSES } from './contract/job';
import { RECORD_ID_FIELD } from './contract/records';

vi.mock('server-only', () => ({}));

/** The client as the app loads it, configured for one API; each call gets fresh modules (env and caches are per module). */
async function connect(url: string, key: string) {
  vi.resetModules();
  vi.stubEnv('PREQUEL_API_URL', url);
  vi.stubEnv('PREQUEL_API_KEY', key);
  // The client reads its environment once: pin it before another test stubs different values.
  (await import('@/lib/env')).getServerEnv();
  return {
    ...(await import('./audit-log')),
    ...(await import('./capabilities')),
    ...(await import('./datasets')),
    ...(await import('./destinations')),
    ...(await import('./pagination')),
    ...(await import('./providers')),
    ...(await import('./sources')),
    ...(await import('./streams')),
    ...(await import('./webhooks')),
  };
}

function unwrap<T>(result: PrequelResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.data;
}

async function settled<T extends { status: string }>(
  read: () => Promise<PrequelResult<T>>,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = unwrap(await read());
    if (TERMINAL_JOB_STATUSES.has(job.status as never)) return job;
    if (Date.now() > deadline) throw new Error(`still ${job.status} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const idSchema = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };

let engine: TestEngine;
let source: SourceDatabase;
let receiver: Server;
let receiverUrl: string;
let api: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
  engine = await startTestEngine({ jobs: true });
  source = await createSourceDatabase({
    customers: 30,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  api = await connect(engine.baseUrl, engine.apiKey);
});
afterAll(async () => {
  receiver?.closeAllConnections();
  receiver?.close();
  await engine?.close();
  await source?.drop();
});

/** A provider on a local datalake, ready for sources. */
async function newProvider(client = api) {
  const datalake = unwrap(
    await client.createDatalake({
      name: unique('lake'),
      storage: 'local',
      local: { path: 'datalake' },
    }),
  );
  return unwrap(
    await client.createProvider({
      id: unique('tenant'),
      name: 'Tenant Inc',
      datalake_id: datalake.id,
      products: ['all'],
    }),
  );
}

const placeholderSource = (providerId: string) => ({
  name: unique('pg'),
  vendor: 'postgres' as const,
  provider_id: providerId,
  postgres: {
    host: 'db.acme.example.com',
    port: 5432,
    database: 'production',
    password_auth: { username: 'prequel', password: 'secret-pw' },
  },
});

describe('the quickstart sequence through the client', () => {
  it('creates datalake, provider, source, dataset, destination, product and stream, each id feeding the next', async () => {
    const datalake = unwrap(
      await api.createDatalake({
        name: 'primary-datalake',
        storage: 's3',
        s3: {
          bucket_name: '<your-bucket>',
          bucket_region: 'us-east-1',
          prefix: 'prequel-import',
          auth_method: 'aws_iam_role',
          aws_iam_role: { aws_iam_role_arn: '<your-role-arn>' },
        },
      }),
    );
    const provider = unwrap(
      await api.createProvider({
        name: 'Acme Corp',
        id: 'acme',
        datalake_id: datalake.id,
        products: ['all'],
      }),
    );
    expect(provider).toMatchObject({ id: 'acme', name: 'Acme Corp', products: ['all'] });

    const created = unwrap(
      await api.createSource({
        ...placeholderSource(provider.id),
        name: 'acme-postgres',
        postgres: {
          ...placeholderSource('').postgres,
          password_auth: { username: 'prequel', password: '<password>' },
        },
      }),
    );
    expect(created).toMatchObject({
      name: 'acme-postgres',
      provider_id: 'acme',
      postgres: { host: 'db.acme.example.com', username: 'prequel' },
    });
    expect(JSON.stringify(created)).not.toContain('<password>');

    const dataset = unwrap(
      await api.createDataset({
        source_id: created.id,
        method: 'table',
        table: { source_table_namespace: 'public', source_table_name: 'users' },
        type: 'dimension',
        dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
        frequency_minutes: 60,
      }),
    );
    expect(dataset).toMatchObject({ name: 'users', provider_id: 'acme', source_id: created.id });

    // The placeholder host cannot resolve here, so the reachability probe is skipped, as the contract allows.
    const destination = unwrap(
      await api.createDestination(
        {
          name: 'primary-destination',
          type: 'webhook_record',
          record_schema: idSchema,
          webhook_record: {
            request_template: {
              uri: 'https://your-app.example.com/prequel/records',
              method: 'POST',
            },
          },
        },
        { skipValidation: true },
      ),
    );
    expect(destination.record_schema).toEqual(idSchema);

    const product = unwrap(
      await api.createProduct({ name: 'primary-product', destinations: [destination.id] }),
    );
    expect(product.destinations).toEqual([destination.id]);

    const stream = unwrap(
      await api.createStream({
        name: 'users-stream',
        dataset_id: dataset.id,
        destination_id: destination.id,
        mappings: [{ target_field: 'id', field_type: 'field', column: { name: 'id' } }],
      }),
    );
    expect(stream).toMatchObject({ is_valid: true, is_enabled: true, provider_id: 'acme' });
    expect(unwrap(await api.getStream(stream.id))).toEqual(stream);
  });
});

describe('a real pipeline through the client', () => {
  it(
    'tests the connection, browses tables, extracts, previews the mapping, loads and traces a record',
    { timeout: 90_000 },
    async () => {
      const provider = await newProvider();
      const connection = { ...source.postgres, schema: 'public' };
      const candidate = {
        name: 'sample',
        vendor: 'postgres' as const,
        provider_id: provider.id,
        postgres: connection,
      };

      const tested = unwrap(await api.testNewSource(candidate));
      expect(tested.code).toBe('success');
      expect(tested.checks?.map((check) => `${check.name}:${check.status}`)).toEqual([
        'dns:passed',
        'tcp:passed',
        'tls:skipped',
        'auth:passed',
        'privileges:passed',
      ]);

      // A customer saves a wrong password, sees the auth check fail, and fixes only the password.
      const saved = unwrap(
        await api.createSource({
          ...candidate,
          postgres: {
            ...connection,
            password_auth: { ...connection.password_auth, password: 'wrong' },
          },
        }),
      );
      const failing = unwrap(await api.testSavedSource(saved.id));
      expect(failing.code).toBe('failure');
      expect(failing.checks?.find((check) => check.status === 'failed')?.name).toBe('auth');
      const withRightPassword = unwrap(
        await api.testSavedSource(saved.id, {
          postgres: { password_auth: { password: connection.password_auth.password } },
        }),
      );
      expect(withRightPassword.code).toBe('success');
      unwrap(
        await api.updateSource(saved.id, {
          postgres: { password_auth: { password: connection.password_auth.password } },
        }),
      );
      expect(unwrap(await api.testSavedSource(saved.id)).code).toBe('success');
      expect(unwrap(await api.getSource(saved.id))).toMatchObject({ is_reachable: true });

      const found = unwrap(await api.listSourceTables(saved.id, { search: 'custom' }));
      expect(found.items.map((table) => `${table.namespace}.${table.name}`)).toEqual([
        'public.customers',
      ]);
      expect(found.items[0]).toMatchObject({
        primary_key: ['id'],
        suggested_type: 'dimension',
        readiness: 'ready',
      });
      const allTables = unwrap(
        await api.fetchAllPages((cursor) =>
          api.listSourceTables(saved.id, { pageSize: 1, cursor }),
        ),
      );
      expect(allTables).toMatchObject({ complete: true });
      expect(allTables.items.map((table) => table.name)).toEqual([
        'accounts',
        'customers',
        'events',
        'orders',
      ]);

      const columns = unwrap(
        await api.getSourceSchema(saved.id, {
          method: 'table',
          table: { source_table_namespace: 'public', source_table_name: 'customers' },
        }),
      );
      expect(columns.find((column) => column.name === 'id')).toMatchObject({
        prequel_type: 'integer',
        is_nullable: false,
      });
      const queryColumns = unwrap(
        await api.getSourceSchema(saved.id, {
          method: 'sql',
          sql: { query: 'select id, email from customers' },
        }),
      );
      expect(queryColumns.map((column) => column.name)).toEqual(['id', 'email']);

      const dataset = unwrap(
        await api.createDataset({
          source_id: saved.id,
          table: { source_table_namespace: 'public', source_table_name: 'customers' },
          type: 'dimension',
          dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
        }),
      );
      expect(
        unwrap(await api.updateDataset(dataset.id, { frequency_minutes: 15 })).frequency_minutes,
      ).toBe(15);
      const started = unwrap(await api.startExtract(dataset.id));
      expect(started.dataset_id).toBe(dataset.id);
      const extract = await settled(() => api.getExtract(started.id));
      expect(extract).toMatchObject({
        status: 'succeeded',
        records_new_inserted: 30,
        error: null,
        progress: { rows_read: 30 },
      });
      expect(
        unwrap(await api.listExtracts({ datasetId: dataset.id })).items.map((item) => item.id),
      ).toEqual([started.id]);

      const sample = unwrap(await api.sampleRecords(dataset.id, 5));
      expect(sample.records).toHaveLength(5);
      expect(sample.schema.map((column) => column.name)).toContain('email');
      const recordIds = sample.records.map((record) => String(record[RECORD_ID_FIELD]));

      const destination = unwrap(
        await api.createDestination({
          name: unique('receiver'),
          type: 'webhook_record',
          record_schema: {
            type: 'object',
            required: ['id', 'email'],
            properties: { id: { type: 'string' }, email: { type: 'string' } },
          },
          webhook_record: { request_template: { uri: `${receiverUrl}/records`, method: 'POST' } },
        }),
      );
      const idOnly = [{ target_field: 'id', field_type: 'field' as const, column: { name: 'id' } }];
      const mappings = [
        ...idOnly,
        { target_field: 'email', field_type: 'field' as const, column: { name: 'email' } },
      ];
      const candidateStream = {
        name: unique('stream'),
        dataset_id: dataset.id,
        destination_id: destination.id,
        mappings,
      };

      const candidatePreview = unwrap(await api.testStream(candidateStream, recordIds));
      expect(candidatePreview.records.map((record) => record[RECORD_ID_FIELD])).toEqual(recordIds);
      expect(candidatePreview.errors).toEqual([]);

      const stream = unwrap(await api.createStream(candidateStream));
      const preview = unwrap(await api.testTransform(stream.id, recordIds.slice(0, 2)));
      expect(preview.records).toHaveLength(2);
      expect(preview.records[0]).toMatchObject({
        id: recordIds[0],
        email: expect.stringContaining('@'),
      });
      // An unsaved change that drops a required field: the preview says which record and field fail.
      const unsaved = unwrap(
        await api.testTransform(stream.id, recordIds.slice(0, 1), {
          changes: { mappings: idOnly },
          skipValidation: true,
        }),
      );
      expect(unsaved.errors).toEqual([
        expect.objectContaining({
          record_id: recordIds[0],
          target_field: 'email',
          stage: 'validate_schema',
        }),
      ]);

      const firstLoad = unwrap(await api.startLoad(stream.id));
      const load = await settled(() => api.getLoad(firstLoad.id));
      expect(load).toMatchObject({
        status: 'succeeded',
        records_loaded: 30,
        records_errored: 0,
        error: null,
      });
      const replayed = unwrap(await api.startLoad(stream.id, { recordIds: recordIds.slice(0, 2) }));
      const replay = await settled(() => api.getLoad(replayed.id));
      expect(replay).toMatchObject({ status: 'succeeded', record_ids: recordIds.slice(0, 2) });
      expect(
        unwrap(await api.listLoads({ streamId: stream.id })).items.map((item) => item.id),
      ).toEqual([replay.id, load.id]);

      const lineage = unwrap(await api.getRecordLineage(dataset.id, recordIds[0]!));
      expect(lineage).toMatchObject({
        record_id: recordIds[0],
        extract: { is_deleted: false },
        load: { error: null, data: { id: recordIds[0] } },
      });
    },
  );
});

describe('errors are values a form can use', () => {
  it('a request of the wrong shape (400) names the field and says what is wrong with it', async () => {
    const provider = await newProvider();
    const result = await api.createSource({
      ...placeholderSource(provider.id),
      postgres: { ...placeholderSource(provider.id).postgres, port: 70_000 },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', status: 400, apiCode: 'invalid_request' },
    });
    expect(!result.ok && result.error.fields).toEqual([
      { path: 'source.postgres.port', message: expect.stringContaining('65535') },
    ]);
  });

  it('a semantically invalid request (422) keeps the API code, its message and every field error', async () => {
    const provider = await newProvider();
    const created = unwrap(await api.createSource(placeholderSource(provider.id)));
    const dataset = unwrap(
      await api.createDataset({
        source_id: created.id,
        table: { source_table_namespace: 'public', source_table_name: 'users' },
        type: 'dimension',
        dimension: { primary_key_column: 'id' },
      }),
    );
    const destination = unwrap(
      await api.createDestination(
        {
          name: unique('dest'),
          type: 'webhook_record',
          record_schema: {
            type: 'object',
            required: ['id', 'email'],
            properties: { id: { type: 'string' }, email: { type: 'string' } },
          },
          webhook_record: { request_template: { uri: 'http://127.0.0.1:9/records' } },
        },
        { skipValidation: true },
      ),
    );
    const mappings = [
      { target_field: 'id', field_type: 'expression' as const, expression: { expr: 'id +' } },
    ];
    const result = await api.createStream({
      name: unique('stream'),
      dataset_id: dataset.id,
      destination_id: destination.id,
      mappings,
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_request',
        status: 422,
        message: expect.stringMatching(/^The mappings do not fit/),
      },
    });
    expect(!result.ok && result.error.fields).toEqual([
      {
        path: 'stream.mappings.0.expression.expr',
        message: expect.stringMatching(/\(line 1, column \d+\)$/),
      },
      { path: 'stream.mappings', message: 'required field "email" is not mapped' },
    ]);

    const vendor = await api.createSource({
      name: unique('sf'),
      vendor: 'snowflake',
      provider_id: provider.id,
      snowflake: { account: 'acme' },
    });
    expect(vendor).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_request',
        status: 422,
        apiCode: 'vendor_not_supported',
        fields: [{ path: 'source.vendor' }],
      },
    });
  });

  it('a missing object is not_found, a taken id or a referenced object is a conflict, a product the provider lacks is forbidden', async () => {
    const missing = await api.getSource(randomUUID());
    expect(missing).toMatchObject({
      ok: false,
      error: {
        code: 'not_found',
        status: 404,
        apiCode: 'not_found',
        message: expect.stringContaining('No source with id'),
      },
    });
    expect(await api.getExtract('not-a-uuid')).toMatchObject({
      ok: false,
      error: { code: 'not_found', status: 404 },
    });

    const provider = await newProvider();
    const duplicate = await api.createProvider({
      id: provider.id,
      name: 'Again',
      datalake_id: provider.datalake_id,
      products: ['all'],
    });
    expect(duplicate).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        status: 409,
        fields: [{ path: 'provider.id', message: 'is already taken' }],
      },
    });
    expect(await api.deleteDatalake(provider.datalake_id)).toMatchObject({
      ok: false,
      error: { code: 'conflict', apiCode: 'still_referenced' },
    });

    const destination = unwrap(
      await api.createDestination(
        {
          name: unique('dest'),
          type: 'webhook_record',
          record_schema: idSchema,
          webhook_record: { request_template: { uri: 'http://127.0.0.1:9/r' } },
        },
        { skipValidation: true },
      ),
    );
    const lake = unwrap(await api.getDatalake(provider.datalake_id));
    const limited = unwrap(
      await api.createProvider({
        id: unique('limited'),
        name: 'Limited',
        datalake_id: lake.id,
        products: [unwrap(await api.createProduct({ name: unique('empty') })).name],
      }),
    );
    const limitedSource = unwrap(await api.createSource(placeholderSource(limited.id)));
    const limitedDataset = unwrap(
      await api.createDataset({
        source_id: limitedSource.id,
        table: { source_table_namespace: 'public', source_table_name: 'users' },
        type: 'dimension',
        dimension: { primary_key_column: 'id' },
      }),
    );
    const refused = await api.createStream({
      name: unique('s'),
      dataset_id: limitedDataset.id,
      destination_id: destination.id,
      mappings: [],
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        status: 403,
        apiCode: 'destination_not_allowed',
        fields: [{ path: 'stream.destination_id' }],
      },
    });
  });

  it('a refused key is unauthorized, whatever the call', async () => {
    const wrongKey = await connect(engine.baseUrl, 'not-the-key');
    for (const result of [
      await wrongKey.listProviders(),
      await wrongKey.getStream(randomUUID()),
      await wrongKey.startExtract(randomUUID()),
    ]) {
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'unauthorized',
          message: 'The API key was refused: check `PREQUEL_API_KEY`.',
          status: 401,
        },
      });
    }
  });

  it('a rate-limited call says how long to wait', async () => {
    const limited = await startTestEngine({ requestsPerSecond: 1 });
    try {
      const client = await connect(limited.baseUrl, limited.apiKey);
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await client.listProviders());
      const refused = results.find((result) => !result.ok);
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'rate_limited', status: 429, apiCode: 'rate_limited', retryAfterSeconds: 1 },
      });
    } finally {
      await limited.close();
    }
  });
});

describe('lists', () => {
  it('come one page at a time with a cursor, and fetchAllPages walks them up to a cap', async () => {
    const lake = unwrap(await api.createDatalake({ name: unique('lake'), storage: 'local' }));
    const prefix = unique('paged');
    const ids = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        unwrap(
          await api.createProvider({
            id: `${prefix}-${i}`,
            name: `Paged ${i}`,
            datalake_id: lake.id,
            products: ['all'],
          }),
        ).id,
      );

    const first = unwrap(await api.listProviders({ pageSize: 2, order: 'desc' }));
    expect(first.items.map((item) => item.id)).toEqual([ids[4], ids[3]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = unwrap(
      await api.listProviders({ pageSize: 2, order: 'desc', cursor: first.nextCursor! }),
    );
    expect(second.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);

    const all = unwrap(
      await api.fetchAllPages((cursor) => api.listProviders({ pageSize: 2, cursor })),
    );
    expect(all.complete).toBe(true);
    expect(all.items.map((item) => item.id)).toEqual(expect.arrayContaining(ids));
    const capped = unwrap(
      await api.fetchAllPages((cursor) => api.listProviders({ pageSize: 2, cursor }), {
        maxItems: 3,
      }),
    );
    expect(capped).toMatchObject({
      complete: false,
      items: [{ id: ids[4] }, { id: ids[3] }, { id: ids[2] }],
    });

    expect(await api.listProviders({ cursor: 'forged' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', apiCode: 'invalid_cursor', fields: [{ path: 'cursor' }] },
    });
  });

  it("of a provider hold only that provider's objects", async () => {
    const [mine, theirs] = [await newProvider(), await newProvider()];
    const own = unwrap(await api.createSource(placeholderSource(mine.id)));
    unwrap(await api.createSource(placeholderSource(theirs.id)));
    expect(
      unwrap(await api.listSources({ providerId: mine.id })).items.map((item) => item.id),
    ).toEqual([own.id]);
    const dataset = unwrap(
      await api.createDataset({
        source_id: own.id,
        table: { source_table_namespace: 'public', source_table_name: 'users' },
        type: 'dimension',
        dimension: { primary_key_column: 'id' },
      }),
    );
    expect(
      unwrap(await api.listDatasets({ providerId: mine.id })).items.map((item) => item.id),
    ).toEqual([dataset.id]);
    expect(unwrap(await api.listStreams({ providerId: mine.id })).items).toEqual([]);
    expect(unwrap(await api.listDestinations({ pageSize: 100 })).items.length).toBeGreaterThan(0);
    expect(unwrap(await api.listProducts()).items.map((product) => product.name)).toContain('all');
  });
});

describe('configuration and monitoring', () => {
  it('webhooks are created, read, updated and deleted; their api_key never comes back', async () => {
    const created = unwrap(
      await api.createWebhook({
        vendor: 'generic_post',
        url: `${receiverUrl}/events`,
        api_key: 'hook-secret',
        events: ['extract.failed'],
      }),
    );
    expect(created).toMatchObject({
      vendor: 'generic_post',
      has_api_key: true,
      events: ['extract.failed'],
    });
    expect(JSON.stringify(created)).not.toContain('hook-secret');
    expect(
      unwrap(
        await api.updateWebhook(created.id, { events: ['load.failed', 'load.partially_failed'] }),
      ).events,
    ).toEqual(['load.failed', 'load.partially_failed']);
    expect(unwrap(await api.listWebhooks()).items.map((item) => item.id)).toContain(created.id);
    expect(unwrap(await api.deleteWebhook(created.id))).toBeNull();
    expect(await api.getWebhook(created.id)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(unwrap(await api.getWebhookPublicKey())).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('the audit log lists each change with its object, filtered by event type and time', async () => {
    const since = new Date(Date.now() - 1000);
    const provider = await newProvider();
    unwrap(await api.updateProvider(provider.id, { name: 'Renamed Inc' }));
    const updates = unwrap(await api.listAuditLog({ eventType: 'IMPORT_PROVIDER_UPDATE', since }));
    const entry = updates.items.find((item) => item.resource_id === provider.id);
    expect(entry).toMatchObject({
      event_type: 'IMPORT_PROVIDER_UPDATE',
      object: { name: 'Renamed Inc' },
      previous_object: { name: 'Tenant Inc' },
      actor: { type: 'api_key' },
    });
    expect(unwrap(await api.getAuditEntry(entry!.id))).toEqual(entry);
    expect(
      unwrap(
        await api.listAuditLog({
          eventType: 'IMPORT_PROVIDER_UPDATE',
          since: new Date(Date.now() + 60_000),
        }),
      ).items,
    ).toEqual([]);
  });

  it('a support action carries who asked and why into the audit log, and a tenant timeline holds only its entries', async () => {
    const [tenant, other] = [await newProvider(), await newProvider()];
    const ada = {
      actor: 'support:ada@saas.example',
      reason: 'Kundin bat um einen neuen Abgleich – Ticket #4711',
    };
    const created = unwrap(await api.createSource(placeholderSource(tenant.id)));
    unwrap(await api.createSource(placeholderSource(other.id)));
    unwrap(await api.updateSource(created.id, { postgres: { schema: 'sales' } }, ada));
    const dataset = unwrap(
      await api.createDataset({
        source_id: created.id,
        table: { source_table_namespace: 'public', source_table_name: 'users' },
        type: 'dimension',
        dimension: { primary_key_column: 'id' },
      }),
    );
    const extract = unwrap(
      await api.startExtract(dataset.id, { ...ada, reason: 'customer reports stale data' }),
    );

    const requested = unwrap(await api.listAuditLog({ objectId: extract.id }));
    expect(requested.items).toEqual([
      expect.objectContaining({
        event_type: 'IMPORT_EXTRACT_REQUEST',
        actor_label: ada.actor,
        reason: 'customer reports stale data',
        provider_id: tenant.id,
        object: expect.objectContaining({ id: extract.id }),
      }),
    ]);
    const timeline = unwrap(
      await api.listAuditLog({ providerId: tenant.id, order: 'asc', pageSize: 100 }),
    );
    expect(
      timeline.items.map((entry) => [entry.event_type, entry.actor_label, entry.reason]),
    ).toEqual([
      ['IMPORT_PROVIDER_ADD', null, null],
      ['IMPORT_SOURCE_ADD', null, null],
      ['IMPORT_SOURCE_UPDATE', ada.actor, ada.reason],
      ['IMPORT_DATASET_ADD', null, null],
      ['IMPORT_EXTRACT_REQUEST', ada.actor, 'customer reports stale data'],
    ]);

    const refused = await api.startExtract(dataset.id, {
      actor: 'support:ada',
      reason: 'line one\nline two',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_request',
        status: 400,
        apiCode: 'invalid_header',
        fields: [{ path: 'X-Inlet-Reason' }],
      },
    });
  });
});

describe('capabilities', () => {
  it('our engine offers every extension', async () => {
    expect(await api.getCapabilities()).toEqual({
      ok: true,
      data: {
        tables: true,
        providerFilter: true,
        connectionChecks: true,
        extractProgress: true,
        previewFieldErrors: true,
        auditProviderFilter: true,
        cancel: true,
        resync: true,
        healthSummaries: true,
        providerStatus: true,
        supportEvents: true,
      },
    });
  });

  describe('against an API without the extensions (as the hosted API answers)', () => {
    let hosted: Server;
    let hostedUrl: string;
    const requests: string[] = [];
    const sourceOf = (providerId: string) => ({
      id: randomUUID(),
      name: `${providerId}-db`,
      vendor: 'snowflake',
      provider_id: providerId,
      is_reachable: true,
      created_at: '2026-01-01T00:00:00.000000Z',
      updated_at: '2026-01-01T00:00:00.000000Z',
      snowflake: { account: providerId, warehouse: 'wh' },
    });

    beforeAll(async () => {
      hosted = createServer((request, response) => {
        requests.push(`${request.method} ${request.url}`);
        const json = (status: number, body: unknown) =>
          response
            .writeHead(status, { 'Content-Type': 'application/json' })
            .end(JSON.stringify(body));
        const path = new URL(request.url ?? '/', 'http://hosted').pathname;
        if (request.method === 'GET' && path === '/')
          return json(200, { status: 'success', data: 'welcome', message: 'ok' });
        // A list in the previous envelope (items at the top level), unfiltered: the hosted API knows no provider_id filter.
        if (request.method === 'GET' && path === '/import/sources') {
          return json(200, {
            status: 'success',
            has_next: false,
            sources: [sourceOf('acme'), sourceOf('globex')],
            next_url: null,
          });
        }
        if (request.method === 'GET' && path === '/logs') {
          const entry = (resourceId: string, eventType: string, object: unknown) => ({
            id: randomUUID(),
            created_at: '2026-01-01T00:00:00.000000Z',
            event_type: eventType,
            resource_id: resourceId,
            actor: { actor_id: 'admin@saas.example', type: 'user' },
            object,
            previous_object: null,
          });
          const logs = [
            entry('acme', 'IMPORT_PROVIDER_ADD', { id: 'acme' }),
            entry('s-1', 'IMPORT_SOURCE_ADD', sourceOf('globex')),
            entry('s-2', 'IMPORT_SOURCE_ADD', sourceOf('acme')),
          ];
          return json(200, { status: 'success', data: { logs }, has_next: false, next_url: null });
        }
        return json(404, { status: 'error', message: 'Not Found' });
      });
      await new Promise<void>((resolve) => hosted.listen(0, '127.0.0.1', resolve));
      hostedUrl = `http://127.0.0.1:${(hosted.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      vi.useRealTimers();
      await new Promise((resolve) => hosted.close(resolve));
    });

    it('reports none of them, probes once a minute, and degrades what depends on them', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const client = await connect(hostedUrl, 'hosted-key');
      const none = {
        tables: false,
        providerFilter: false,
        connectionChecks: false,
        extractProgress: false,
        previewFieldErrors: false,
        auditProviderFilter: false,
        cancel: false,
        resync: false,
        healthSummaries: false,
        providerStatus: false,
        supportEvents: false,
      };
      expect(await client.getCapabilities()).toEqual({ ok: true, data: none });

      const tables = await client.listSourceTables(randomUUID(), { search: 'users' });
      expect(tables).toMatchObject({
        ok: false,
        error: {
          code: 'not_supported',
          status: null,
          message: expect.stringContaining('table browser'),
        },
      });
      expect(requests.some((line) => line.includes('/tables'))).toBe(false);

      const acme = unwrap(await client.listSources({ providerId: 'acme' }));
      expect(acme).toMatchObject({
        items: [{ provider_id: 'acme', snowflake: { account: 'acme' } }],
        nextCursor: null,
      });
      expect(requests.filter((line) => line.startsWith('GET /import/sources'))).toEqual([
        'GET /import/sources',
      ]);

      expect(await client.getStream(randomUUID())).toMatchObject({
        ok: false,
        error: { code: 'not_found', status: 404, message: 'Not Found' },
      });
      expect(requests.filter((line) => line === 'GET /openapi.json')).toHaveLength(1);
      vi.setSystemTime(Date.now() + 61_000);
      await client.getCapabilities();
      expect(requests.filter((line) => line === 'GET /openapi.json')).toHaveLength(2);
    });

    it("picks a tenant's audit entries out of the page, since the hosted API has no provider filter", async () => {
      const client = await connect(hostedUrl, 'hosted-key');
      const acme = unwrap(await client.listAuditLog({ providerId: 'acme' }));
      expect(
        acme.items.map((entry) => [
          entry.event_type,
          entry.resource_id,
          entry.actor_label,
          entry.reason,
        ]),
      ).toEqual([
        ['IMPORT_PROVIDER_ADD', 'acme', null, null],
        ['IMPORT_SOURCE_ADD', 's-2', null, null],
      ]);
      expect(
        requests
          .filter((line) => line.startsWith('GET /logs'))
          .every((line) => !line.includes('provider_id')),
      ).toBe(true);
    });
  });
});
