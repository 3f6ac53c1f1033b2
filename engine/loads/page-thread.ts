// What runs in the load thread (see page-thread-client.ts): a load's records are read from the cache and
// transformed there, page by page, so that the engine's event loop only sends, signs and records them, and the two
// halves of a load use two cores.
import type { MessagePort } from 'node:worker_threads';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import type { Mapping } from '../../lib/prequel/contract/stream';
import { toJson } from '../deliver/render-request';
import { faultReached } from '../extract/fault-points';
import { type CacheManifest, type CachedPage, type CachedRecord, type CachedRecordReader, createCacheDatabase, openCacheReader } from '../extract/cached-records';
import type { CompiledTransform, FieldError } from '../transform/mapping/compile-mappings';
import { createTransformCache } from '../transform/mapping/compiled-transform-cache';

/** Everything a reader needs, as plain data. */
export interface ReaderSpec {
  manifest: CacheManifest;
  mappings: readonly Mapping[];
  recordSchema: Record<string, unknown>;
  columns: SchemaColumn[] | null;
  /** The load's clock (now() and TODAY()), in ms since 1970. */
  now: number;
  /** Whether pages carry their transformed records as objects too (templates and files read them). */
  objects: boolean;
}

/** Where a page comes from: given record ids, or the next page of the records changed in a version range. */
export type PageSource =
  | { kind: 'ids'; ids: readonly string[] }
  /** `skip`: ids already read (they are left out); only the first request of a reader's range is looked at. */
  | { kind: 'changed'; afterVersion: number; upToVersion: number; pageSize: number; skip: readonly string[] };

/** A page, transformed: the records that passed, their JSON, and those that failed with their errors. */
export interface ThreadPage {
  recordIds: string[];
  versions: number[];
  deleted: boolean[];
  /** UTF-8 `toJson` of the passed records, in order (deletions carry their flag): a batch body and a ledger page. */
  json: Uint8Array;
  /** The passed records as objects, when the reader asked for them. */
  objects: Record<string, unknown>[] | null;
  failures: { recordId: string; version: number; errors: FieldError[] }[];
}

export type ThreadRequest =
  | { kind: 'open'; spec: ReaderSpec }
  | { kind: 'page'; reader: number; source: PageSource }
  | { kind: 'close'; reader: number }
  /** Closes every reader, waiting for DuckDB's work in flight: a thread stopped under it takes the process along. */
  | { kind: 'stop' };

export type ThreadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string }
  /** The thread failed outside any request and is ending (see page-thread-entry.mjs). */
  | { id: 0; ok: false; fatal: true; message: string };

interface OpenReader {
  reader: CachedRecordReader;
  transform: CompiledTransform;
  now: Date;
  objects: boolean;
  changed: AsyncGenerator<CachedPage> | null;
  /** Ids the range leaves out (read already, by id). */
  skip: ReadonlySet<string>;
  /** The next page of `changed`, read and transformed while the engine works on this one. */
  ahead: Promise<ThreadPage | null> | null;
  /** The request being answered, which closing waits for. */
  busy: Promise<unknown>;
}

const compile = createTransformCache();

/**
 * Transforms a page (each record as it is read, so none outlives its transform) and writes the page's JSON once, in
 * one go (several times faster than record by record). Records whose id is in `skip` are left out.
 */
export function transformPage(records: Iterable<CachedRecord>, transform: CompiledTransform, now: Date, objects: boolean, skip?: ReadonlySet<string>): ThreadPage {
  const page: ThreadPage = { recordIds: [], versions: [], deleted: [], json: new Uint8Array(), objects: null, failures: [] };
  const passed: Record<string, unknown>[] = [];
  for (const record of records) {
    if (skip?.has(record.recordId)) continue;
    const result = transform.apply(record, { now });
    if (!result.ok) {
      page.failures.push({ recordId: record.recordId, version: record.version, errors: result.errors });
      continue;
    }
    page.recordIds.push(record.recordId);
    page.versions.push(record.version);
    page.deleted.push(record.isDeleted);
    passed.push(result.record);
  }
  const bytes = Buffer.from(toJson(passed));
  // Sent by moving its memory to the other thread: a small Buffer shares Node's pool, so it is copied first.
  page.json = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length ? bytes : new Uint8Array(bytes);
  if (objects) page.objects = passed;
  return page;
}

export class PageThreadState {
  private readonly readers = new Map<number, OpenReader>();
  /** Pages read and transformed so far, ahead or asked for. */
  pagesRead = 0;
  private nextReader = 1;
  /** One DuckDB for every reader of the thread, each query on a connection of its own. */
  private database: Promise<DuckDBInstance> | null = null;

  async handle(request: ThreadRequest): Promise<unknown> {
    switch (request.kind) {
      case 'open': {
        const { spec } = request;
        const compiled = compile(spec.mappings, spec.recordSchema, spec.columns);
        if (!compiled.ok) throw new Error(compiled.errors.map((error) => `${error.path}: ${error.message}`).join('; '));
        this.database ??= createCacheDatabase();
        // A DuckDB that failed to open is tried again by the next reader.
        const database = await this.database.catch((error: unknown) => {
          this.database = null;
          throw error;
        });
        const reader = await openCacheReader(spec.manifest, compiled.transform.columns, database);
        const id = this.nextReader++;
        this.readers.set(id, { reader, transform: compiled.transform, now: new Date(spec.now), objects: spec.objects, changed: null, skip: new Set(), ahead: null, busy: Promise.resolve() });
        return id;
      }
      case 'page': {
        const open = this.readers.get(request.reader);
        if (!open) throw new Error(`No reader ${request.reader} is open in the load thread.`);
        const page = this.page(open, request.source);
        open.busy = page.catch(() => null);
        return page;
      }
      case 'close':
        await this.close(request.reader);
        return null;
      case 'stop': {
        await Promise.all([...this.readers.keys()].map((reader) => this.close(reader)));
        const database = await this.database?.catch(() => null);
        this.database = null;
        database?.closeSync();
        return null;
      }
    }
  }

  private async close(id: number): Promise<void> {
    const open = this.readers.get(id);
    if (!open) return;
    this.readers.delete(id);
    await open.busy;
    await open.ahead?.catch(() => null);
    await open.changed?.return(undefined);
    open.reader.close();
  }

  private async page(open: OpenReader, source: PageSource): Promise<ThreadPage | null> {
    if (source.kind === 'ids') return transformPage(await open.reader.byIds(source.ids), open.transform, open.now, open.objects);
    if (!open.changed) {
      open.changed = open.reader.changed(source);
      open.skip = new Set(source.skip);
    }
    const changed = open.changed;
    const next = async () => {
      const read = await changed.next();
      if (read.done) return null;
      this.pagesRead++;
      return transformPage(read.value, open.transform, open.now, open.objects, open.skip);
    };
    const page = await (open.ahead ?? next());
    // Read and transformed once this page is on its way: started at once, its synchronous transform would run
    // before the reply is posted (both wait on microtasks), and the engine would get each page a page late.
    open.ahead = page ? new Promise<void>((resolve) => setImmediate(resolve)).then(next) : null;
    // Its failure is this reader's next answer.
    open.ahead?.catch(() => {});
    return page;
  }
}

/** The pages' JSON moves to the engine thread instead of being copied. */
function transferList(value: unknown): ArrayBuffer[] {
  const json = (value as ThreadPage | null)?.json;
  return json instanceof Uint8Array && json.byteLength ? [json.buffer as ArrayBuffer] : [];
}

/** Answers the engine thread's requests; called by the thread's entry (page-thread-entry.mjs). */
export function servePageThread(port: MessagePort, state = new PageThreadState()): void {
  port.on('message', (message: { id: number; request: ThreadRequest }) => {
    if (faultReached('load_thread_uncaught')) {
      setImmediate(() => {
        throw new Error('fault point load_thread_uncaught');
      });
    }
    state.handle(message.request).then(
      (value) => port.postMessage({ id: message.id, ok: true, value } satisfies ThreadReply, transferList(value)),
      (error: unknown) => port.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies ThreadReply),
    );
  });
}
