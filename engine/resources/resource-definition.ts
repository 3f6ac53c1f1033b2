// Describes one management resource; crud-routes.ts turns a description into its five endpoints.
import type { z } from 'zod';
import type { EngineContext } from '../engine-context';
import type { BindSecrets } from '../secrets/secret-binding';
import type { DbClient, Queryable } from '../store/db';

export interface ResourceRow {
  id: string;
  body: Record<string, unknown>;
  secrets: Buffer | null;
  created_at: string;
  updated_at: string;
  [column: string]: unknown;
}

export interface PrepareArgs<Input> {
  client: DbClient;
  engine: EngineContext;
  id: string;
  input: Input;
  existing: ResourceRow | null;
  skipValidation: boolean;
}

export interface Reference {
  /** SQL returning `label` rows for up to 10 referencing objects; $1 is the id being deleted. */
  sql: string;
  /** Plural name of what refers, e.g. "providers". */
  what: string;
}

export interface ResourceDefinition<
  Input extends Record<string, unknown> = Record<string, unknown>,
> {
  /** Singular key of request/response bodies: `source`. */
  key: string;
  plural: string;
  table: string;
  path: string;
  idType: 'uuid' | 'text';
  eventPrefix: string;
  createSchema: z.ZodType<Input>;
  responseSchema: z.ZodType;
  /** Query filters of the list endpoint: query parameter → column. */
  filters?: Record<string, string>;
  /** Fields that PATCH may not change. */
  immutable?: string[];
  /**
   * The secrets of a configuration, each with the endpoint it is bound to: a PATCH reuses a saved
   * one only while its endpoint is unchanged (422 `secret_required` otherwise). Those not named in
   * SECRET_FIELD_NAMES (credential headers) are stored encrypted too.
   */
  secretBindings?: BindSecrets;
  /** Ids chosen by the caller (providers) instead of generated. */
  callerChosenId?: (input: Input) => string;
  /** Semantic checks (422/403) and the row's indexed columns; runs in the write transaction. */
  prepare?: (args: PrepareArgs<Input>) => Promise<Record<string, unknown>>;
  /** Side tables to rewrite after the row is written. */
  afterWrite?: (client: DbClient, id: string, input: Input) => Promise<void>;
  /** The read shape; must never include a secret. */
  toResponse: (
    row: ResourceRow,
    db: Queryable,
  ) => Promise<Record<string, unknown>> | Record<string, unknown>;
  references?: Reference[];
  /** Returns a reason when the row may not be changed or deleted at all (built-ins). */
  isProtected?: (row: ResourceRow) => string | null;
}
