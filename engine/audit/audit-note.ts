// Reads X-Inlet-Actor and X-Inlet-Reason, the caller's word on who acted and why, before any
// handler can write.
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import {
  ActorLabelSchema,
  AUDIT_HEADERS,
  ReasonSchema,
} from '../../lib/prequel/contract/audit-log';
import type { AuditNote, RequestVariables } from '../engine-context';
import { badRequest } from '../http/api-error';

function readHeader(
  raw: string | undefined,
  header: string,
  schema: z.ZodType<string>,
): string | null {
  if (raw === undefined) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw badRequest(
      'invalid_header',
      `The ${header} header is not valid percent-encoded UTF-8: encode the value with ` +
        `encodeURIComponent (a literal % is %25).`,
      [{ path: header, message: 'is not valid percent-encoding' }],
    );
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'is not valid';
    throw badRequest('invalid_header', `The ${header} header ${message}.`, [
      { path: header, message },
    ]);
  }
  return parsed.data === '' ? null : parsed.data;
}

/**
 * Validated on every request that sends them, so a bad value is refused before anything changes.
 */
export function readAuditNote(): MiddlewareHandler<{ Variables: RequestVariables }> {
  return async (c, next) => {
    const note: AuditNote = {
      actor_label: readHeader(
        c.req.header(AUDIT_HEADERS.actorLabel),
        AUDIT_HEADERS.actorLabel,
        ActorLabelSchema,
      ),
      reason: readHeader(c.req.header(AUDIT_HEADERS.reason), AUDIT_HEADERS.reason, ReasonSchema),
    };
    c.set('auditNote', note);
    return next();
  };
}
