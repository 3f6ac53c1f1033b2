// What runs in the load thread (see page-thread-client.ts): a load's records are read from the
// cache and transformed there, page by page, so that the engine's event loop only sends, signs and
// records them, and the two halves of a load use two cores.
import os from 'node:os';
import path from 'node:path';
import { type MessagePort, threadId } from 'node:worker_threads';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import type { Mapping } from '../../lib/prequel/contract/stream';
import {
  type CacheManifest,
  type CachedPage,
  type CachedRecord,
  type CachedRecordReader,
  createCacheDatabase,
  openCacheReader,
} from '../cache/cached-records';
import { toJson } from '../deliver/render-request';
import { faultReached } from '../jobs/fault-points';
import { type Blame, JobFailure } from '../jobs/job-failure';
import type { CompiledTransform, FieldError } from '../transform/mapping/compile-mappings';
import { createTransformCache } from '../transform/mapping/compiled-transform-cache';
import { PageTimeBudget } from '../transform/mapping/page-time-budget';
import { RoundRobinTurns } from './round-robin-turns';

/** Everything a reader needs, as plain data. */
export interface ReaderSpec {
  /** Whose load it is: the thread's turns go round-robin by provider. */
  providerId: string;
  manifest: CacheManifest;
  mappings: readonly Mapping[];
  recordSchema: Record<string, unknown>;
  columns: SchemaColumn[] | null;
  /** The load's clock (now() and TODAY()), in ms since 1970. */
  now: number;
  /**
   * Whether pages carry their transformed records as objects too (templates and files read them).
   */
  objects: boolean;
}

/**
 * Where a page comes from: given record ids, or the next page of the records changed in a version
 * range.
 */
export type PageSource =
  | { kind: 'ids'; ids: readonly string[] }
  /**
   * `skip`: ids already read (they are left out); only the first request of a reader's range is
   * looked at.
   */
  | {
      kind: 'changed';
      afterVersion: number;
      upToVersion: number;
      pageSize: number;
      skip: readonly string[];
    };

/**
 * A page, transformed: the records that passed, their JSON, and those that failed with their
 * errors.
 */
export interface ThreadPage {
  recordIds: string[];
  versions: number[];
  deleted: boolean[];
  /**
   * UTF-8 `toJson` of the passed records, in order (deletions carry their flag): a batch body and a
   * ledger page.
   */
  json: Uint8Array;
  /** The passed records as objects, when the reader asked for them. */
  objects: Record<string, unknown>[] | null;
  failures: { recordId: string; version: number; errors: FieldError[] }[];
}

export type ThreadRequest =
  | { kind: 'open'; spec: ReaderSpec }
  | { kind: 'page'; reader: number; source: PageSource }
  | { kind: 'close'; reader: number }
  /**
   * Closes every reader, waiting for DuckDB's work in flight: a thread stopped under it takes the
   * process along.
   */
  | { kind: 'stop' };

export type ThreadReply =
  | { id: number; ok: true; value: unknown }
  /**
   * `failure`: the load's error, when the thread failed the load with a JobFailure
   * (ExpressionTooSlow).
   */
  | {
      id: number;
      ok: false;
      message: string;
      failure?: { code: string; blame: Blame; title: string };
    }
  /** The thread failed outside any request and is ending (see page-thread-entry.mjs). */
  | { id: 0; ok: false; fatal: true; message: string };

interface OpenReader {
  providerId: string;
  reader: CachedRecordReader;
  transform: CompiledTransform;
  /**
   * The target fields of the stream's expression mappings, which a page that runs out of time
   * names.
   */
  expressionTargets: string[];
  now: Date;
  objects: boolean;
  changed: AsyncGenerator<CachedPage> | null;
  /** Ids the range leaves out (read already, by id). */
  skip: ReadonlySet<string>;
  /** The next page of `changed`, read and transformed while the engine works on this one. */
  ahead: Promise<ThreadPage | null> | null;
  /** The request being answered, which closing waits for. */
  busy: Promise<unknown>;
  /** Pages being read or transformed, asked for or ahead. */
  active: number;
}

const compile = createTransformCache();
/** What the thread's DuckDB may hold in memory, for all of its readers together. */
const THREAD_MEMORY = '1GB';

/**
 * Transform work done before the thread's other requests (other loads' pages, DuckDB's replies) get
 * a turn.
 */
const sliceMilliseconds = 20;

/**
 * Lets the thread's pending messages and I/O callbacks run (they come in the loop's poll phase,
 * before immediates).
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A tenth of the slice before, up to 20 ms, as previews pause on the event loop (see next-turn.ts).
 */
const pauseFraction = 0.1;
const maxPauseMilliseconds = 20;
const pause = (slice: number) =>
  new Promise<void>((resolve) =>
    setTimeout(resolve, Math.min(maxPauseMilliseconds, slice * pauseFraction)),
  );

export interface TransformPageOptions {
  /** Ids to leave out. */
  skip?: ReadonlySet<string>;
  /** What the page's transforms may take; past it the page fails with ExpressionTooSlow. */
  budget?: PageTimeBudget;
  /** Waits between slices, given the last slice's length (by default, for the loop's next turn). */
  takeTurn?: (sliceMilliseconds: number) => Promise<void>;
}

/**
 * Transforms a page (each record as it is read, so none outlives its transform) and writes the
 * page's JSON once, in one go (several times faster than record by record). The work goes in slices
 * with other requests in between, so a slow stream slows its own load, not every tenant's, and
 * stops once the page has spent its budget.
 */
export async function transformPage(
  records: Iterable<CachedRecord>,
  transform: CompiledTransform,
  now: Date,
  objects: boolean,
  options: TransformPageOptions = {},
): Promise<ThreadPage> {
  const { skip, budget = new PageTimeBudget([]), takeTurn = nextTurn } = options;
  const page: ThreadPage = {
    recordIds: [],
    versions: [],
    deleted: [],
    json: new Uint8Array(),
    objects: null,
    failures: [],
  };
  const passed: Record<string, unknown>[] = [];
  let sliceStarted = performance.now();
  for (const record of records) {
    if (skip?.has(record.recordId)) continue;
    const took = performance.now() - sliceStarted;
    if (took >= sliceMilliseconds) {
      budget.charge(took);
      await takeTurn(took);
      sliceStarted = performance.now();
    }
    const result = transform.apply(record, { now });
    budget.transformed(result.ok ? undefined : result.errors);
    if (!result.ok) {
      page.failures.push({
        recordId: record.recordId,
        version: record.version,
        errors: result.errors,
      });
      continue;
    }
    page.recordIds.push(record.recordId);
    page.versions.push(record.version);
    page.deleted.push(record.isDeleted);
    passed.push(result.record);
  }
  budget.charge(performance.now() - sliceStarted);
  const bytes = Buffer.from(toJson(passed));
  // Sent by moving its memory to the other thread: a small Buffer shares Node's pool, so it is
  // copied first.
  page.json =
    bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length
      ? bytes
      : new Uint8Array(bytes);
  if (objects) page.objects = passed;
  return page;
}

/**
 * Gives the thread's DuckDB room for more than one load, and a disk to spill to. A first load over
 * many files sorts every record (about 250 MB for a million), and held the whole of the cache's
 * 256 MB for as long as it ran: every other tenant's read in the meantime failed with DuckDB's
 * "Out of Memory".
 */
async function roomForEveryLoad(database: DuckDBInstance): Promise<DuckDBInstance> {
  const directory = path.join(os.tmpdir(), `inlet-load-thread-${process.pid}-${threadId}`);
  const connection = await database.connect();
  try {
    await connection.run(`set memory_limit = '${THREAD_MEMORY}'`);
    await connection.run(`set temp_directory = '${directory.replaceAll("'", "''")}'`);
  } finally {
    connection.closeSync();
  }
  return database;
}

export class PageThreadState {
  private readonly readers = new Map<number, OpenReader>();
  /** Pages read and transformed so far, ahead or asked for. */
  pagesRead = 0;
  private nextReader = 1;
  /** Readers being opened. */
  private opening = 0;
  /** One DuckDB for every reader of the thread, each query on a connection of its own. */
  private database: Promise<DuckDBInstance> | null = null;
  /** Pages and their slices take turns by provider, not in the order they were asked for. */
  private readonly turns = new RoundRobinTurns();

  async handle(request: ThreadRequest): Promise<unknown> {
    switch (request.kind) {
      case 'open': {
        this.opening++;
        try {
          return await this.open(request.spec);
        } finally {
          this.opening--;
        }
      }
      case 'page': {
        const open = this.readers.get(request.reader);
        if (!open) throw new Error(`No reader ${request.reader} is open in the load thread.`);
        const page = this.working(open, () => this.page(open, request.source));
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

  private async open(spec: ReaderSpec): Promise<number> {
    const compiled = compile(spec.mappings, spec.recordSchema, spec.columns);
    if (!compiled.ok)
      throw new Error(compiled.errors.map((error) => `${error.path}: ${error.message}`).join('; '));
    this.database ??= createCacheDatabase().then(roomForEveryLoad);
    // A DuckDB that failed to open is tried again by the next reader.
    const database = await this.database.catch((error: unknown) => {
      this.database = null;
      throw error;
    });
    const reader = await openCacheReader(spec.manifest, compiled.transform.columns, database);
    const id = this.nextReader++;
    const expressionTargets = spec.mappings
      .filter((mapping) => mapping.field_type === 'expression')
      .map((mapping) => mapping.target_field);
    this.readers.set(id, {
      providerId: spec.providerId,
      reader,
      transform: compiled.transform,
      expressionTargets,
      now: new Date(spec.now),
      objects: spec.objects,
      changed: null,
      skip: new Set(),
      ahead: null,
      busy: Promise.resolve(),
      active: 0,
    });
    return id;
  }

  /**
   * Counts a reader's page work while it runs: others' transforms pause between slices meanwhile
   * (see turn).
   */
  private async working<T>(open: OpenReader, work: () => Promise<T>): Promise<T> {
    open.active++;
    try {
      return await work();
    } finally {
      open.active--;
    }
  }

  /**
   * What a reader's transform waits for between slices: a pause while another load's work is
   * under way, then its provider's turn (round-robin by provider, on the loop's next turn). That
   * work (opening a reader, reading a page from DuckDB) takes several turns, and would otherwise
   * wait a whole slice for each: a record that runs out of its 100 ms is one slice.
   */
  private async turn(open: OpenReader, slice: number): Promise<void> {
    const othersWork =
      this.opening > 0 ||
      [...this.readers.values()].some((other) => other !== open && other.active > 0);
    if (othersWork) await pause(slice);
    await this.turns.turn(open.providerId);
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
    const options = () => ({
      budget: new PageTimeBudget(open.expressionTargets),
      takeTurn: (slice: number) => this.turn(open, slice),
    });
    if (source.kind === 'ids') {
      const records = await open.reader.byIds(source.ids);
      await this.turns.turn(open.providerId);
      return transformPage(records, open.transform, open.now, open.objects, options());
    }
    if (!open.changed) {
      open.changed = open.reader.changed(source);
      open.skip = new Set(source.skip);
    }
    const changed = open.changed;
    const next = async () => {
      const read = await changed.next();
      if (read.done) return null;
      this.pagesRead++;
      await this.turns.turn(open.providerId);
      return transformPage(read.value, open.transform, open.now, open.objects, {
        skip: open.skip,
        ...options(),
      });
    };
    const page = await (open.ahead ?? next());
    // Read and transformed once this page is on its way: started at once, its synchronous transform
    // would run before the reply is posted (both wait on microtasks), and the engine would get each
    // page a page late.
    open.ahead = page
      ? new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.working(open, next))
      : null;
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

/**
 * A failed request's answer: its message, and the load error's code, blame and title when it is a
 * JobFailure.
 */
function failureReply(id: number, error: unknown): ThreadReply {
  if (!(error instanceof Error)) return { id, ok: false, message: String(error) };
  if (!(error instanceof JobFailure)) return { id, ok: false, message: error.message };
  return {
    id,
    ok: false,
    message: error.message,
    failure: { code: error.code, blame: error.blame, title: error.title },
  };
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
      (value) =>
        port.postMessage(
          { id: message.id, ok: true, value } satisfies ThreadReply,
          transferList(value),
        ),
      (error: unknown) => port.postMessage(failureReply(message.id, error)),
    );
  });
}
