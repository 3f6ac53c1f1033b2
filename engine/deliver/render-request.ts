// Pure: the HTTP request(s) a destination's template makes for records (api-contract.md §5).
import type { DestinationCreate, RequestTemplate } from '../../lib/prequel/contract/destination';
import { type CompiledTemplate, compileTemplate } from '../transform/go-template/compile-template';

export interface OutgoingRecord {
  recordId: string;
  isDeleted: boolean;
  /** The transformed record (what the record_schema describes). */
  record: Record<string, unknown>;
}

/** A webhook_batch csv/parquet file, as the delivery body describes it. */
export interface BatchFile {
  format: 'csv' | 'parquet';
  /** The object's key in the provider's datalake (`artifacts/...`). */
  path: string;
  presignedUrl: string;
}

export interface RenderedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Text, or UTF-8 bytes when it was built from bytes the caller had already encoded. */
  body: string | Buffer;
}

/** A body as the UTF-8 bytes that are signed and sent (bytes already encoded are not copied). */
export function bodyBytes(body: string | Buffer): Buffer {
  return typeof body === 'string' ? Buffer.from(body) : body;
}

export type RenderOutcome = { ok: true; request: RenderedRequest } | { ok: false; message: string };

interface CompiledRequestTemplate {
  method: string;
  uri: CompiledTemplate;
  headers: [string, CompiledTemplate][];
  body: CompiledTemplate | null;
  /**
   * Whether rendering may read .Records (templates see data fields only as plain values, never
   * computed on access).
   */
  readsRecords: boolean;
}

// A body template, or a URI or header template that names .Records or could reach it some other way
// (the whole data as `.`, a variable, range, index): the records are written out for those.
// Anything else renders without them.
const MAY_READ_RECORDS = /Records|\$|\brange\b|\bindex\b|\btemplate\b|(^|[^\w.])\.(?!\w)/;

function compile(template: RequestTemplate): CompiledRequestTemplate {
  const must = (source: string, part: string) => {
    const compiled = compileTemplate(source, { name: part });
    // Templates were validated when the destination was saved; a failure here is a bug, not bad
    // input.
    if (!compiled.ok)
      throw new Error(`The saved ${part} template does not parse: ${compiled.error.message}`);
    return compiled.template;
  };
  return {
    method: template.method ?? 'POST',
    uri: must(template.uri, 'uri'),
    headers: Object.entries(template.headers ?? {}).map(([name, value]) => [
      name,
      must(value, `header ${name}`),
    ]),
    body: template.body ? must(template.body, 'body') : null,
    readsRecords:
      Boolean(template.body) ||
      [template.uri, ...Object.values(template.headers ?? {})].some((source) =>
        MAY_READ_RECORDS.test(source),
      ),
  };
}

/** JSON.stringify's output, except that bigints are written as exact integers. */
export function toJson(value: unknown): string {
  // Bigints are rare: JSON.stringify (several times faster than the walk below) refuses them, and
  // only then is the value walked by hand.
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    if (!(error instanceof TypeError && /BigInt/i.test(error.message))) throw error;
    return toJsonWithBigInts(value);
  }
}

function toJsonWithBigInts(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object' || value instanceof Date)
    return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    const items = value.map((item) =>
      item === undefined || typeof item === 'function' ? 'null' : toJsonWithBigInts(item),
    );
    return `[${items.join(',')}]`;
  }
  const fields = Object.entries(value).filter(
    ([, item]) => item !== undefined && typeof item !== 'function',
  );
  const members = fields.map(([key, item]) => `${JSON.stringify(key)}:${toJsonWithBigInts(item)}`);
  return `{${members.join(',')}}`;
}

/**
 * A record as delivered: deletions carry their id fields plus `_prequel_is_deleted: true` (ours).
 */
export function deliveredRecord(item: OutgoingRecord): Record<string, unknown> {
  // A load's transform flags its deletions already: those records go as they are.
  return item.isDeleted && item.record._prequel_is_deleted !== true
    ? { ...item.record, _prequel_is_deleted: true }
    : item.record;
}

function render(
  template: CompiledRequestTemplate,
  data: unknown,
  defaultBody: () => string | Buffer,
): RenderOutcome {
  const uri = template.uri.render(data);
  if (!uri.ok) return { ok: false, message: `The URI template failed: ${uri.error.message}` };
  if (!/^https?:\/\//i.test(uri.output))
    return {
      ok: false,
      message:
        `The URI template produced "${uri.output.slice(0, 200)}", which is not an http(s) ` +
        `URL.`,
    };
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  for (const [name, header] of template.headers) {
    const value = header.render(data);
    if (!value.ok)
      return { ok: false, message: `The ${name} header template failed: ${value.error.message}` };
    if (/[\r\n]/.test(value.output))
      return {
        ok: false,
        message:
          `The ${name} header template produced a line break, which a header may not ` + `contain.`,
      };
    headers[name] = value.output;
  }
  let body: string | Buffer;
  if (template.body) {
    const rendered = template.body.render(data);
    if (!rendered.ok)
      return { ok: false, message: `The body template failed: ${rendered.error.message}` };
    body = rendered.output;
  } else {
    body = defaultBody();
  }
  return { ok: true, request: { method: template.method, url: uri.output, headers, body } };
}

export interface RequestRenderer {
  /** webhook_record: one request per record. */
  forRecord(item: OutgoingRecord): RenderOutcome;
  /**
   * webhook_batch: one request for the records; for csv/parquet, `file` is where they were written.
   * `recordsJson`, when given, is the UTF-8 JSON of the records as delivered (`toJson` of each
   * `deliveredRecord`; a load's transform flags deletions itself and encodes it once for its
   * ledger): the default body is then bytes around it, with no second encoding of hundreds of
   * kilobytes, and the records themselves are read only if a template asks.
   */
  forBatch(
    items: OutgoingRecord[],
    loadId: string,
    file?: BatchFile,
    recordsJson?: Buffer,
  ): RenderOutcome;
}

const RECORDS_KEY = Buffer.from('{"records":');

export function createRequestRenderer(
  destination: DestinationCreate,
  providerId: string,
): RequestRenderer {
  const block =
    destination.type === 'webhook_record' ? destination.webhook_record : destination.webhook_batch;
  if (!block)
    throw new Error(`Destinations of type ${destination.type} do not make HTTP requests.`);
  const template = compile(block.request_template);
  return {
    forRecord(item) {
      const record = deliveredRecord(item);
      return render(
        template,
        { Record: record, IsDeleted: item.isDeleted, ProviderID: providerId },
        () => toJson(record),
      );
    },
    forBatch(items, loadId, file, recordsJson) {
      let delivered: Record<string, unknown>[] | undefined;
      const records = () => (delivered ??= items.map(deliveredRecord));
      if (!file) {
        const defaultBody = () =>
          recordsJson === undefined
            ? toJson({
                records: records(),
                format: 'json',
                provider_id: providerId,
                load_id: loadId,
              })
            : Buffer.concat([
                RECORDS_KEY,
                recordsJson,
                Buffer.from(
                  `,"format":"json","provider_id":${toJson(providerId)},` +
                    `"load_id":${toJson(loadId)}}`,
                ),
              ]);
        const data = {
          Records: template.readsRecords || recordsJson === undefined ? records() : [],
          ProviderID: providerId,
          LoadID: loadId,
        };
        return render(template, data, defaultBody);
      }
      // Templates also see the file (ours): .Format, .Path, .PresignedURL.
      const data = {
        Records: records(),
        ProviderID: providerId,
        LoadID: loadId,
        Format: file.format,
        Path: file.path,
        PresignedURL: file.presignedUrl,
      };
      return render(template, data, () =>
        toJson({
          format: file.format,
          path: file.path,
          presigned_url: file.presignedUrl,
          record_count: items.length,
          provider_id: providerId,
          load_id: loadId,
        }),
      );
    },
  };
}
