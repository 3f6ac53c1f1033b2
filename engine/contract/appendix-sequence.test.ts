import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// The quickstart's own payloads (api-contract.md, Appendix), phases 1-3 up to stream creation, sent unchanged.
let api: TestEngine;
beforeAll(async () => {
  api = await startTestEngine();
});
afterAll(() => api.close());

describe('the quickstart sequence', () => {
  test('is accepted unchanged, each call returning the id the next one uses', async () => {
    const datalake = await api.request<{
      data: { datalake: { id: string; s3: Record<string, unknown> } };
    }>('POST', '/import/datalakes', {
      datalake: {
        name: 'primary-datalake',
        storage: 's3',
        s3: {
          bucket_name: '<your-bucket>',
          bucket_region: 'us-east-1',
          prefix: 'prequel-import',
          auth_method: 'aws_iam_role',
          aws_iam_role: { aws_iam_role_arn: '<your-role-arn>' },
        },
      },
    });
    expect(datalake.status, datalake.text).toBe(200);
    const datalakeId = datalake.body.data.datalake.id;
    expect(datalake.body.data.datalake.s3).toMatchObject({
      bucket_name: '<your-bucket>',
      auth_method: 'aws_iam_role',
    });

    const provider = await api.request<{ data: { provider: { id: string; products: string[] } } }>(
      'POST',
      '/import/providers',
      {
        provider: { name: 'Acme Corp', id: 'acme', datalake_id: datalakeId, products: ['all'] },
      },
    );
    expect(provider.status, provider.text).toBe(200);
    expect(provider.body.data.provider).toMatchObject({
      id: 'acme',
      name: 'Acme Corp',
      products: ['all'],
    });

    const source = await api.request<{
      data: { source: { id: string; postgres: Record<string, unknown> } };
    }>('POST', '/import/sources', {
      source: {
        name: 'acme-postgres',
        vendor: 'postgres',
        provider_id: 'acme',
        postgres: {
          host: 'db.acme.example.com',
          port: 5432,
          database: 'production',
          auth_method: 'password_auth',
          password_auth: { username: 'prequel', password: '<password>' },
        },
      },
    });
    expect(source.status, source.text).toBe(200);
    expect(source.body.data.source.postgres).toMatchObject({
      host: 'db.acme.example.com',
      username: 'prequel',
    });
    expect(source.text).not.toContain('<password>');

    const dataset = await api.request<{
      data: { dataset: { id: string; name: string; provider_id: string } };
    }>('POST', '/import/datasets', {
      dataset: {
        source_id: source.body.data.source.id,
        method: 'table',
        table: { source_table_namespace: 'public', source_table_name: 'users' },
        type: 'dimension',
        dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
        frequency_minutes: 60,
      },
    });
    expect(dataset.status, dataset.text).toBe(200);
    expect(dataset.body.data.dataset).toMatchObject({ name: 'users', provider_id: 'acme' });

    // The placeholder host cannot resolve here, so the reachability probe is skipped, as the contract allows.
    const destination = await api.request<{ data: { destination: { id: string } } }>(
      'POST',
      '/import/destinations?skip_validation=true',
      {
        destination: {
          name: 'primary-destination',
          type: 'webhook_record',
          record_schema: {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'string' } },
          },
          webhook_record: {
            request_template: {
              uri: 'https://your-app.example.com/prequel/records',
              method: 'POST',
            },
          },
        },
      },
    );
    expect(destination.status, destination.text).toBe(200);
    const destinationId = destination.body.data.destination.id;

    const product = await api.request<{ data: { product: { destinations: string[] } } }>(
      'POST',
      '/import/products',
      {
        product: { name: 'primary-product', destinations: [destinationId] },
      },
    );
    expect(product.status, product.text).toBe(200);
    expect(product.body.data.product.destinations).toEqual([destinationId]);

    const stream = await api.request<{
      data: { stream: { is_valid: boolean; is_enabled: boolean; provider_id: string } };
    }>('POST', '/import/streams', {
      stream: {
        name: 'users-stream',
        dataset_id: dataset.body.data.dataset.id,
        destination_id: destinationId,
        mappings: [{ target_field: 'id', field_type: 'field', column: { name: 'id' } }],
      },
    });
    expect(stream.status, stream.text).toBe(200);
    expect(stream.body.data.stream).toMatchObject({
      is_valid: true,
      is_enabled: true,
      provider_id: 'acme',
    });
  });

  test('the same destination without skip_validation is refused because its host does not resolve', async () => {
    const response = await api.request<{ error: { code: string; details: { path: string }[] } }>(
      'POST',
      '/import/destinations',
      {
        destination: {
          name: 'unreachable',
          type: 'webhook_record',
          record_schema: {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'string' } },
          },
          webhook_record: {
            request_template: {
              uri: 'https://your-app.example.com/prequel/records',
              method: 'POST',
            },
          },
        },
      },
    );
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('destination_unreachable');
    expect(response.body.error.details[0]!.path).toBe(
      'destination.webhook_record.request_template.uri',
    );
  });
});
