import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { create, recordDestination, stream } from '../testing/fixtures';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

type PreviewError = {
  record_id: string;
  target_field?: string;
  stage: string;
  message: string;
  fix?: string;
};
type PreviewResponse = {
  status: string;
  data: { records: Record<string, unknown>[]; errors: PreviewError[] };
};
type ErrorResponse = {
  error: { code: string; details?: { path: string; message: string }[] };
  message: string;
};

let api: TestEngine;
let source: SourceDatabase;
let datasetId: string;

const idField = { target_field: 'id', field_type: 'field', column: { name: 'id' } };
const expression = (target_field: string, expr: string) => ({
  target_field,
  field_type: 'expression',
  expression: { expr },
});
const schema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string' },
    slow: { type: 'integer' },
    odd: { type: 'boolean' },
    name: { type: 'boolean' },
  },
};
const recordIds = Array.from({ length: 50 }, (_, index) => String(index + 1));

beforeAll(async () => {
  api = await startTestEngine({ jobs: true });
  source = await createSourceDatabase({
    customers: 60,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  const dataset = await createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'customers' },
    type: 'dimension',
    dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
  });
  datasetId = dataset.id;
  await extractNow(api, datasetId);
});
afterAll(async () => {
  await api.close();
  await source.drop();
});

const testStream = (body: unknown) =>
  api.request<PreviewResponse & ErrorResponse>('POST', '/import/test-stream', body);

describe('patterns RE2 rejects', () => {
  test.each([
    [
      'a backreference',
      'full_name matches "(a)\\\\1"',
      'error parsing regexp: invalid escape sequence: `\\1` (line 1, column 19)',
    ],
    [
      'a lookahead',
      'full_name matches "(?=a)"',
      'error parsing regexp: invalid or unsupported Perl syntax: `(?=` (line 1, column 19)',
    ],
  ])(
    '%s is a 422 on the mapping, with the reason, for a preview and for a saved stream',
    async (_name, expr, message) => {
      const destination = await create(
        api,
        '/import/destinations',
        recordDestination(schema),
        'destination',
        '?skip_validation=true',
      );
      const body = stream(datasetId, destination.id, [idField, expression('name', expr)]);
      const expected = {
        code: 'invalid_expression',
        details: [{ path: 'stream.mappings.1.expression.expr', message }],
      };

      const preview = await testStream({ ...body, record_ids: ['1'] });
      expect(preview.status, preview.text).toBe(422);
      expect(preview.body.error).toEqual(expected);

      const saved = await api.request<ErrorResponse>('POST', '/import/streams', body);
      expect(saved.status, saved.text).toBe(422);
      expect(saved.body.error).toEqual(expected);
    },
  );
});

describe('hostile expressions in previews', () => {
  test(
    'while several run at once, every record fails on its own budget and /healthz keeps answering within 1 s',
    { timeout: 60_000 },
    async () => {
      const destination = await create(
        api,
        '/import/destinations',
        recordDestination(schema),
        'destination',
        '?skip_validation=true',
      );
      const mappings = [
        idField,
        // Each record's first evaluation runs into the 100 ms time budget (step budget: over a second).
        expression('slow', 'len(map(1..1000000, reverse(1..1000000)))'),
        // Over a minute with a backtracking regex engine; false at once with RE2.
        expression('odd', 'repeat("a", 250) matches "a*a*a*a*b"'),
      ];
      const saved = await create(
        api,
        '/import/streams',
        stream(datasetId, destination.id, mappings),
        'stream',
      );

      let previewsDone = false;
      const latencies: number[] = [];
      const probing = (async () => {
        while (!previewsDone) {
          const started = performance.now();
          const health = await api.request('GET', '/healthz');
          latencies.push(performance.now() - started);
          expect(health.status).toBe(200);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();

      const started = performance.now();
      const previews = await Promise.all([
        ...Array.from({ length: 3 }, () =>
          testStream({ ...stream(datasetId, destination.id, mappings), record_ids: recordIds }),
        ),
        api.request<PreviewResponse>('POST', `/import/streams/${saved.id}/test-transform`, {
          record_ids: recordIds,
        }),
      ]);
      const elapsed = performance.now() - started;
      previewsDone = true;
      await probing;

      for (const preview of previews) {
        expect(preview.status, preview.text).toBe(200);
        const { records, errors } = preview.body.data;
        expect(records).toEqual([]);
        const overBudget = errors.filter((error) => error.target_field === 'slow');
        const notReached = errors.filter((error) => error.target_field === undefined);
        expect(overBudget.length).toBeGreaterThan(0);
        expect(overBudget.length + notReached.length).toBe(recordIds.length);
        for (const error of overBudget) {
          expect(error).toEqual({
            record_id: error.record_id,
            target_field: 'slow',
            stage: 'transform',
            message: 'expression took too long (more than its time budget of 100 ms)',
            fix: expect.any(String),
          });
        }
        for (const error of notReached)
          expect(error.message).toMatch(
            /^not transformed: the preview took longer than its time budget of 3000 ms/,
          );
      }
      // Each preview stops at its 3 s budget instead of running 50 slow records (5 s each, 20 s together).
      expect(elapsed).toBeLessThan(6_000);
      expect(latencies.length).toBeGreaterThan(10);
      expect(
        Math.max(...latencies),
        `/healthz latencies (ms): ${latencies.map(Math.round).join(', ')}`,
      ).toBeLessThan(1_000);
    },
  );
});
