// The source actions of the contract: test-source (candidate or saved), get-schema, and the table
// browser (ext).
import { z } from 'zod';
import { ListEnvelope } from '../../lib/prequel/contract/common';
import { type SourceCreate, SourceCreateSchema } from '../../lib/prequel/contract/source';
import {
  GetSchemaRequestSchema,
  SchemaColumnSchema,
  SourceTableSchema,
  TestSourceResultSchema,
  type TestSourceResult,
} from '../../lib/prequel/contract/source-actions';
import type { EngineContext, RequestVariables } from '../engine-context';
import type { ApiRoutes } from '../http/api-routes';
import { nextUrl } from '../http/pagination';
import { parseWith, parseWrapped, readJson, readQuery } from '../http/read-input';
import { respond, respondList } from '../http/respond';
import { sourceSecretBindings } from '../resources/sources';
import { patchKeepingSecretsBound } from '../secrets/secret-binding';
import { isPlainObject } from '../secrets/split-secrets';
import {
  listTables,
  readSchema,
  requireDatabaseSource,
  testDatabaseSource,
} from './database-source';
import { loadSource } from './load-source';
import { sourceAction } from './source-action-error';
import { encodeTableCursor, TablesQuerySchema, toTablePageRequest } from './table-page';

const TestSourceResponse = z.object({
  status: z.literal('success'),
  data: TestSourceResultSchema,
  message: z.string(),
});
const SchemaResponse = z.object({
  status: z.literal('success'),
  data: z.object({ schema: z.array(SchemaColumnSchema) }),
  message: z.string(),
});

export function addSourceActionRoutes(routes: ApiRoutes<RequestVariables>, engine: EngineContext) {
  const runTest = async (source: SourceCreate, sourceId: string | null) => {
    const result = await testDatabaseSource(requireDatabaseSource(source), engine);
    const failed = result.checks.find((check) => check.status === 'failed');
    engine.logger.info('source tested', {
      source_id: sourceId,
      vendor: source.vendor,
      code: result.code,
      failed_check: failed?.name ?? null,
    });
    return result;
  };
  const testResponse = (result: TestSourceResult) => ({
    status: 'success' as const,
    data: result,
    message: result.message,
  });

  routes.add({
    method: 'post',
    path: '/import/test-source',
    summary:
      'Test a candidate source: dns, tcp, tls, auth and privileges checks (200 even when a check ' +
      'fails)',
    tag: 'sources',
    body: z.object({ source: SourceCreateSchema }),
    response: TestSourceResponse,
    errorStatuses: [422],
    handler: async (c) => {
      const source = parseWrapped(await readJson(c), 'source', SourceCreateSchema);
      return c.json(testResponse(await runTest(source, null)));
    },
  });

  routes.add({
    method: 'post',
    path: '/import/sources/:id/test-source',
    summary:
      'Test a saved source, optionally with unsaved overrides merged like PATCH (e.g. a new ' +
      'password; a changed host, port, database, user or TLS mode needs the password again: 422 ' +
      'secret_required); records is_reachable/is_valid when tested as saved',
    tag: 'sources',
    body: z.object({ source: z.record(z.string(), z.unknown()) }).partial(),
    response: TestSourceResponse,
    errorStatuses: [404, 422],
    handler: async (c) => {
      const body = await readJson(c, { optional: true });
      const overrides =
        isPlainObject(body) && Object.keys(body).length
          ? parseWrapped(body, 'source', z.record(z.string(), z.unknown()))
          : null;
      const saved = await loadSource(engine, c.req.param('id')!);
      const source = overrides
        ? patchKeepingSecretsBound({
            key: 'source',
            schema: SourceCreateSchema,
            saved: saved.config,
            patch: overrides,
            bind: sourceSecretBindings,
          })
        : saved.config;
      const result = await runTest(source, saved.id);
      // Only the saved configuration's outcome describes the saved source.
      if (!overrides) {
        const reachable = result.checks.some(
          (check) => check.name === 'tcp' && check.status === 'passed',
        );
        await engine.db.query(
          'update sources set is_reachable = $2, is_valid = $3 where id = $1 and updated_at = $4',
          [saved.id, reachable, result.code === 'success', saved.version],
        );
      }
      return c.json(testResponse(result));
    },
  });

  routes.add({
    method: 'post',
    path: '/import/sources/:id/get-schema',
    summary:
      'Columns of a table, or of a SQL query (run read-only, never executed beyond its first row)',
    tag: 'sources',
    body: GetSchemaRequestSchema,
    response: SchemaResponse,
    errorStatuses: [404, 422],
    handler: async (c) => {
      const request = parseWith(GetSchemaRequestSchema, await readJson(c));
      const saved = await loadSource(engine, c.req.param('id')!);
      const schema = await sourceAction(() =>
        readSchema(requireDatabaseSource(saved.config), engine, request),
      );
      return respond(
        c,
        'schema',
        schema,
        `Found ${schema.length} column${schema.length === 1 ? '' : 's'}.`,
      );
    },
  });

  routes.add({
    method: 'get',
    path: '/import/sources/:id/tables',
    summary: '(ext) Browse the tables and views of a saved source, with dataset suggestions',
    tag: 'sources',
    query: TablesQuerySchema,
    response: ListEnvelope('tables', SourceTableSchema),
    errorStatuses: [404, 422],
    handler: async (c) => {
      const query = readQuery(c, TablesQuerySchema);
      const saved = await loadSource(engine, c.req.param('id')!);
      const page = await sourceAction(() =>
        listTables(requireDatabaseSource(saved.config), engine, toTablePageRequest(query)),
      );
      const cursor = page.next ? encodeTableCursor(page.next) : null;
      const next = nextUrl(c, engine.publicUrl, cursor, {
        page_size: query.page_size,
        order: query.order,
      });
      return respondList(
        c,
        'tables',
        page.tables,
        next,
        `Found ${page.tables.length} table${page.tables.length === 1 ? '' : 's'}.`,
      );
    },
  });
}
