// One declaration per route: it mounts the handler and describes the route in the OpenAPI document.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import {
  ActorLabelSchema,
  AUDIT_HEADERS,
  ReasonSchema,
} from '../../lib/prequel/contract/audit-log';
import { ApiErrorSchema } from '../../lib/prequel/contract/common';
import { documentedOnly, isExtension, type JsonSchema } from './strict-prequel';

type Method = 'get' | 'post' | 'patch' | 'delete';

export interface RouteSpec<Env extends object> {
  method: Method;
  /** Hono path syntax: `/import/sources/:id`. */
  path: string;
  /** Starts with "(ext)" for an extension of the hosted API (not served in strict mode). */
  summary: string;
  tag: string;
  isPublic?: boolean;
  /** Writes an audit entry: documents the (ext) X-Inlet-Actor and X-Inlet-Reason headers. */
  audited?: boolean;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  successStatus?: number;
  errorStatuses?: number[];
  handler: (c: Context<{ Variables: Env }>) => Promise<Response> | Response;
}

export class ApiRoutes<Env extends object> {
  readonly routes: RouteSpec<Env>[] = [];

  add(spec: RouteSpec<Env>) {
    this.routes.push(spec);
    return this;
  }

  /**
   * Serves the routes; `strictPrequel` serves only the documented API: no (ext) route, field in or
   * field out.
   */
  mount(app: Hono<{ Variables: Env }>, { strictPrequel = false } = {}) {
    for (const route of this.routes) {
      if (!strictPrequel) {
        app.on(route.method.toUpperCase(), route.path, route.handler);
      } else if (!isExtension(route.summary)) {
        const schemas = {
          body: route.body && (jsonSchema(route.body, 'input') as JsonSchema),
          query: route.query && (jsonSchema(route.query, 'input') as JsonSchema),
          response: route.response && (jsonSchema(route.response, 'output') as JsonSchema),
        };
        app.on(route.method.toUpperCase(), route.path, documentedOnly(schemas, route.handler));
      }
    }
  }

  openApi(info: { title: string; version: string; description: string }) {
    const paths: Record<string, Record<string, unknown>> = {};
    const errorResponse = {
      content: { 'application/json': { schema: jsonSchema(ApiErrorSchema, 'output') } },
    };
    for (const route of this.routes) {
      // `:key{.+}` (a parameter with its own pattern) is documented as `{key}`.
      const path = route.path.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, '{$1}');
      const pathParams = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const queryParams = route.query ? queryParameters(route.query) : [];
      const responses: Record<string, unknown> = {
        [String(route.successStatus ?? 200)]: {
          description: 'Success',
          ...(route.response
            ? { content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } }
            : {}),
        },
      };
      for (const status of [
        400,
        ...(route.isPublic ? [] : [401]),
        ...(route.errorStatuses ?? []),
      ]) {
        responses[String(status)] = {
          description: STATUS_TEXT[status] ?? 'Error',
          ...errorResponse,
        };
      }
      paths[path] ??= {};
      paths[path][route.method] = {
        summary: route.summary,
        tags: [route.tag],
        ...(route.isPublic ? { security: [] } : {}),
        parameters: [
          ...pathParams,
          ...queryParams,
          ...(route.audited ? AUDIT_HEADER_PARAMETERS : []),
        ],
        ...(route.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
              },
            }
          : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info,
      components: {
        securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      },
      security: [{ apiKey: [] }],
      paths,
    };
  }
}

const AUDIT_HEADER_PARAMETERS = [
  {
    name: AUDIT_HEADERS.actorLabel,
    schema: ActorLabelSchema,
    what: 'who acted, e.g. `support:ada@saas.example`',
  },
  { name: AUDIT_HEADERS.reason, schema: ReasonSchema, what: 'why' },
].map(({ name, schema, what }) => ({
  name,
  in: 'header',
  required: false,
  description:
    `(ext) ${what}, stored in the audit entry; UTF-8, percent-encoded ` +
    `(encodeURIComponent), no control characters.`,
  schema: jsonSchema(schema, 'input'),
}));

const STATUS_TEXT: Record<number, string> = {
  400: 'Malformed JSON or a request of the wrong shape',
  401: 'Missing or unknown API key',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  422: 'Semantically invalid',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

function queryParameters(schema: z.ZodType) {
  const json = jsonSchema(schema, 'input') as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}
