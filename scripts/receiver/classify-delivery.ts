// Pure: a verified delivery's body → what it carries (one record, an inline batch, or a link to a
// batch file).
import { isJsonObject, type JsonObject, type JsonValue } from './json-value';

/** One delivered record as the store keeps it. */
export interface RecordView {
  record: JsonValue;
  /** The record's `id` as text; records without one are kept but have no "latest version". */
  key: string | null;
  isDeleted: boolean;
}

export type BatchFileFormat = 'csv' | 'parquet';

export type ClassifiedDelivery =
  /** webhook_record: `parsed` is null when the body (a custom template) is not JSON, or empty. */
  | { kind: 'record'; parsed: JsonValue | null; view: RecordView | null }
  | { kind: 'batch-json'; providerId: string | null; loadId: string | null; records: RecordView[] }
  | {
      kind: 'batch-file';
      format: BatchFileFormat;
      providerId: string | null;
      loadId: string | null;
      path: string;
      presignedUrl: string;
    }
  | {
      kind: 'invalid';
      status: 400 | 401;
      reason: 'malformed_batch' | 'unsupported_format' | 'provider_mismatch';
      message: string;
    };

export const DELETION_FIELD = '_prequel_is_deleted';

export function classifyDelivery(input: {
  method: string;
  rawBody: Buffer;
  provider: string;
}): ClassifiedDelivery {
  const parsed = parseJson(input.rawBody);
  if (!isBatchEnvelope(parsed)) {
    return {
      kind: 'record',
      parsed,
      view: parsed === null ? null : recordView(parsed, input.method.toUpperCase() === 'DELETE'),
    };
  }

  const providerId = typeof parsed.provider_id === 'string' ? parsed.provider_id : null;
  const loadId = typeof parsed.load_id === 'string' ? parsed.load_id : null;
  // The signature covers the body, so a mismatch is not forgery but a sender routing one provider's
  // data as another's.
  if (providerId !== null && providerId !== input.provider) {
    return {
      kind: 'invalid',
      status: 401,
      reason: 'provider_mismatch',
      message:
        `The batch says provider_id "${providerId}" but X-Prequel-Import-Provider says ` +
        `"${input.provider}".`,
    };
  }

  const format = parsed.format;
  if (format === 'json') {
    if (!Array.isArray(parsed.records))
      return {
        kind: 'invalid',
        status: 400,
        reason: 'malformed_batch',
        message: 'A json batch needs a "records" array.',
      };
    return {
      kind: 'batch-json',
      providerId,
      loadId,
      records: parsed.records.map((item) => recordView(item, false)),
    };
  }
  if (format === 'csv' || format === 'parquet') {
    if (typeof parsed.presigned_url !== 'string' || typeof parsed.path !== 'string') {
      return {
        kind: 'invalid',
        status: 400,
        reason: 'malformed_batch',
        message: `A ${format} batch needs "path" and "presigned_url" strings.`,
      };
    }
    return {
      kind: 'batch-file',
      format,
      providerId,
      loadId,
      path: parsed.path,
      presignedUrl: parsed.presigned_url,
    };
  }
  return {
    kind: 'invalid',
    status: 400,
    reason: 'unsupported_format',
    message:
      `This receiver reads json, csv and parquet batches, not ` +
      `${JSON.stringify(format).slice(0, 40)}.`,
  };
}

/**
 * The record inside a delivered value: the value itself, or the `data` of the documented
 * deletion-aware template `{"data": {{.Record.AsJson}}, "is_deleted": {{.IsDeleted}}}`. Deletions
 * are marked by `_prequel_is_deleted` (true, or "true" from a CSV file), by that template's flag,
 * or by an HTTP DELETE.
 */
export function recordView(value: JsonValue, deletedByMethod: boolean): RecordView {
  let record = value;
  let isDeleted = deletedByMethod;
  if (
    isJsonObject(value) &&
    Object.keys(value).length === 2 &&
    isJsonObject(value.data) &&
    typeof value.is_deleted === 'boolean'
  ) {
    record = value.data;
    isDeleted ||= value.is_deleted;
  }
  if (isJsonObject(record)) {
    const marker = record[DELETION_FIELD];
    isDeleted ||= marker === true || marker === 'true';
    const id = record.id;
    return {
      record,
      isDeleted,
      key: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
    };
  }
  return { record, isDeleted, key: null };
}

function parseJson(body: Buffer): JsonValue | null {
  if (body.length === 0) return null;
  try {
    return JSON.parse(body.toString('utf8')) as JsonValue;
  } catch {
    return null;
  }
}

// A record that merely has a `format` field is still a record: a batch also has records or a file
// link.
function isBatchEnvelope(value: JsonValue | null): value is JsonObject {
  return (
    value !== null &&
    isJsonObject(value) &&
    typeof value.format === 'string' &&
    ('records' in value || 'presigned_url' in value)
  );
}
