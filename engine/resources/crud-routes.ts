// The five management endpoints of a resource: create, list, get, patch, delete, each audited.
import { z } from 'zod';
import { ListEnvelope, ListQuerySchema, SuccessEnvelope } from '../../lib/prequel/contract/common';
import { recordAudit } from '../audit/record-audit';
import type { EngineContext, RequestVariables } from '../engine-context';
import { conflict, notFound, unprocessable } from '../http/api-error';
import type { ApiRoutes } from '../http/api-routes';
import { fetchPage, nextUrl } from '../http/pagination';
import { parseWrapped, readJson, readQuery } from '../http/read-input';
import { respond, respondList } from '../http/respond';
import { noSecretBindings, patchKeepingSecretsBound } from '../secrets/secret-binding';
import { mergeSecrets, splitSecrets } from '../secrets/split-secrets';
import { type DbClient, type Queryable, toRfc3339, withTransaction } from '../store/db';
import { isUuid, uuidv7 } from '../store/uuid';
import type { ResourceDefinition, ResourceRow } from './resource-definition';

const SkipValidationQuery = z.object({ skip_validation: z.enum(['true', 'false']).optional() });

export function normaliseRow(row: ResourceRow): ResourceRow {
  return { ...row, created_at: toRfc3339(row.created_at), updated_at: toRfc3339(row.updated_at) };
}

export async function findRow(
  db: Queryable,
  definition: ResourceDefinition,
  id: string,
  lock = false,
): Promise<ResourceRow | null> {
  if (definition.idType === 'uuid' && !isUuid(id)) return null;
  const result = await db.query<ResourceRow>(
    `select * from ${definition.table} where id = $1${lock ? ' for update' : ''}`,
    [id],
  );
  return result.rows[0] ?? null;
}

async function requireRow(db: Queryable, definition: ResourceDefinition, id: string, lock = false) {
  const row = await findRow(db, definition, id, lock);
  if (!row) throw notFound(definition.key, id);
  return row;
}

export function responseOf(definition: ResourceDefinition, row: ResourceRow, db: Queryable) {
  return definition.toResponse(normaliseRow(row), db);
}

/** The stored configuration with its secrets put back, as a create request would carry it. */
function fullConfiguration(
  engine: EngineContext,
  definition: ResourceDefinition,
  row: ResourceRow,
) {
  const secrets = row.secrets
    ? engine.secretBox.open(`${definition.key}:${row.id}`, row.secrets)
    : {};
  return mergeSecrets(row.body, secrets);
}

async function writeRow(
  client: DbClient,
  engine: EngineContext,
  definition: ResourceDefinition,
  id: string,
  input: Record<string, unknown>,
  columns: Record<string, unknown>,
  isInsert: boolean,
): Promise<ResourceRow> {
  const { publicPart, secrets } = splitSecrets(
    input,
    definition.secretBindings?.(input).map((binding) => binding.path),
  );
  const sealed = Object.keys(secrets).length
    ? engine.secretBox.seal(`${definition.key}:${id}`, secrets)
    : null;
  const values: Record<string, unknown> = { ...columns, body: JSON.stringify(publicPart) };
  if (hasSecretsColumn(definition)) values.secrets = sealed;
  const names = Object.keys(values);
  const params = names.map((name) => values[name]);
  let sql: string;
  if (isInsert) {
    sql =
      `insert into ${definition.table} (id, ${names.join(', ')}) values ($1, ` +
      `${names.map((_, i) => `$${i + 2}`).join(', ')}) returning *`;
  } else {
    sql =
      `update ${definition.table} set ` +
      `${names.map((name, i) => `${name} = $${i + 2}`).join(', ')}, updated_at = ` +
      `clock_timestamp() where id = $1 returning *`;
  }
  const row = (await client.query<ResourceRow>(sql, [id, ...params])).rows[0]!;
  await definition.afterWrite?.(client, id, input);
  return row;
}

const TABLES_WITH_SECRETS = new Set(['datalakes', 'destinations', 'sources', 'webhooks']);
const hasSecretsColumn = (definition: ResourceDefinition) =>
  TABLES_WITH_SECRETS.has(definition.table);

export function addCrudRoutes(
  routes: ApiRoutes<RequestVariables>,
  engine: EngineContext,
  definition: ResourceDefinition,
) {
  const { key, plural, path } = definition;
  const eventType = (action: string) => `${definition.eventPrefix}_${action}`;
  const filterQuery = z.object(
    Object.fromEntries(
      Object.keys(definition.filters ?? {}).map((name) => [
        name,
        z.string().max(256).optional().describe(`(ext) only the ${plural} whose ${name} is this`),
      ]),
    ),
  );
  const listQuery = ListQuerySchema.extend(filterQuery.shape);

  routes.add({
    method: 'post',
    path,
    audited: true,
    summary: `Create a ${key}`,
    tag: plural,
    body: z.object({ [key]: definition.createSchema }),
    query: SkipValidationQuery,
    response: SuccessEnvelope(key, definition.responseSchema),
    errorStatuses: [403, 409, 422],
    handler: async (c) => {
      const input = parseWrapped(await readJson(c), key, definition.createSchema);
      const skipValidation = readQuery(c, SkipValidationQuery).skip_validation === 'true';
      const response = await withTransaction(engine.db, async (client) => {
        const id = definition.callerChosenId?.(input) ?? uuidv7();
        if (definition.callerChosenId && (await findRow(client, definition, id))) {
          throw conflict('already_exists', `A ${key} with id "${id}" already exists.`, [
            { path: `${key}.id`, message: 'is already taken' },
          ]);
        }
        const columns =
          (await definition.prepare?.({
            client,
            engine,
            id,
            input,
            existing: null,
            skipValidation,
          })) ?? {};
        const row = await writeRow(client, engine, definition, id, input, columns, true);
        const object = await responseOf(definition, row, client);
        await recordAudit(client, {
          eventType: eventType('ADD'),
          resourceId: id,
          actor: c.get('actor'),
          note: c.get('auditNote'),
          object,
          previousObject: null,
        });
        return object;
      });
      engine.logger.info(`${key} created`, { resource: key, id: response.id });
      return respond(c, key, response, `Created ${key} ${String(response.id)}.`);
    },
  });

  routes.add({
    method: 'get',
    path,
    summary: `List ${plural}`,
    tag: plural,
    query: listQuery,
    response: ListEnvelope(plural, definition.responseSchema),
    handler: async (c) => {
      const query = readQuery(c, ListQuerySchema);
      const filters = readQuery(c, filterQuery) as Record<string, string | undefined>;
      const where = Object.entries(definition.filters ?? {})
        .filter(([name]) => filters[name] !== undefined)
        .map(([name, column]) => ({ sql: `${column} = $1`, params: [filters[name]] }));
      const page = await fetchPage<ResourceRow>(engine.db, {
        table: definition.table,
        idType: definition.idType,
        where,
        query,
      });
      const items = await Promise.all(
        page.rows.map((row) => responseOf(definition, row, engine.db)),
      );
      return respondList(
        c,
        plural,
        items,
        nextUrl(c, engine.publicUrl, page.nextCursor, query),
        `Found ${items.length} ${plural}.`,
      );
    },
  });

  routes.add({
    method: 'get',
    path: `${path}/:id`,
    summary: `Get a ${key}`,
    tag: plural,
    response: SuccessEnvelope(key, definition.responseSchema),
    errorStatuses: [404],
    handler: async (c) => {
      const row = await requireRow(engine.db, definition, c.req.param('id')!);
      return respond(
        c,
        key,
        await responseOf(definition, row, engine.db),
        `Found ${key} ${row.id}.`,
      );
    },
  });

  routes.add({
    method: 'patch',
    audited: true,
    path: `${path}/:id`,
    summary:
      `Update a ${key} (JSON merge patch: omitted fields keep their values, null removes ` +
      `a field; an omitted secret is kept only while its endpoint is unchanged, 422 ` +
      `secret_required otherwise)`,
    tag: plural,
    body: z.object({ [key]: z.record(z.string(), z.unknown()) }),
    query: SkipValidationQuery,
    response: SuccessEnvelope(key, definition.responseSchema),
    errorStatuses: [403, 404, 409, 422],
    handler: async (c) => {
      const patch = parseWrapped(await readJson(c), key, z.record(z.string(), z.unknown()));
      const skipValidation = readQuery(c, SkipValidationQuery).skip_validation === 'true';
      const response = await withTransaction(engine.db, async (client) => {
        const existing = await requireRow(client, definition, c.req.param('id')!, true);
        const protection = definition.isProtected?.(existing);
        if (protection) throw conflict('protected', protection);
        const current: Record<string, unknown> = {
          ...(definition.callerChosenId ? { id: existing.id } : {}),
          ...fullConfiguration(engine, definition, existing),
        };
        for (const field of definition.immutable ?? []) {
          if (field in patch && JSON.stringify(patch[field]) !== JSON.stringify(current[field])) {
            throw unprocessable(
              'immutable_field',
              `The ${key}'s ${field} cannot be changed after creation.`,
              [{ path: `${key}.${field}`, message: 'is immutable' }],
            );
          }
        }
        const input = patchKeepingSecretsBound({
          key,
          schema: definition.createSchema,
          saved: current,
          patch,
          bind: definition.secretBindings ?? noSecretBindings,
        });
        const columns =
          (await definition.prepare?.({
            client,
            engine,
            id: existing.id,
            input,
            existing,
            skipValidation,
          })) ?? {};
        const previousObject = await responseOf(definition, existing, client);
        const row = await writeRow(client, engine, definition, existing.id, input, columns, false);
        const object = await responseOf(definition, row, client);
        await recordAudit(client, {
          eventType: eventType('UPDATE'),
          resourceId: existing.id,
          actor: c.get('actor'),
          note: c.get('auditNote'),
          object,
          previousObject,
        });
        return object;
      });
      engine.logger.info(`${key} updated`, { resource: key, id: response.id });
      return respond(c, key, response, `Updated ${key} ${String(response.id)}.`);
    },
  });

  routes.add({
    method: 'delete',
    audited: true,
    path: `${path}/:id`,
    summary: `Delete a ${key} (409 while something still references it)`,
    tag: plural,
    response: SuccessEnvelope(key, definition.responseSchema),
    errorStatuses: [404, 409],
    handler: async (c) => {
      const previousObject = await withTransaction(engine.db, async (client) => {
        const existing = await requireRow(client, definition, c.req.param('id')!, true);
        const protection = definition.isProtected?.(existing);
        if (protection) throw conflict('protected', protection);
        for (const reference of definition.references ?? []) {
          const labels = (
            await client.query<{ label: string }>(reference.sql, [existing.id])
          ).rows.map((r) => r.label);
          if (labels.length) {
            throw conflict(
              'still_referenced',
              `The ${key} "${existing.id}" is still used by ${reference.what} ` +
                `${labels.map((l) => `"${l}"`).join(', ')}: delete or change those first.`,
              [{ path: 'id', message: `referenced by ${reference.what}` }],
            );
          }
        }
        const object = await responseOf(definition, existing, client);
        await client.query(`delete from ${definition.table} where id = $1`, [existing.id]);
        await recordAudit(client, {
          eventType: eventType('DELETE'),
          resourceId: existing.id,
          actor: c.get('actor'),
          note: c.get('auditNote'),
          object: null,
          previousObject: object,
        });
        return object;
      });
      engine.logger.info(`${key} deleted`, { resource: key, id: previousObject.id });
      return respond(c, key, previousObject, `Deleted ${key} ${String(previousObject.id)}.`);
    },
  });
}
