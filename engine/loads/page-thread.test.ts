import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import type { Mapping } from '../../lib/prequel/contract/stream';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { toJson } from '../deliver/render-request';
import {
  type CachedRecord,
  type CacheManifest,
  openCachedRecords,
  readCacheManifest,
} from '../cache/cached-records';
import { compileMappings } from '../transform/mapping/compile-mappings';
import { ExpressionTooSlow, PageTimeBudget } from '../transform/mapping/page-time-budget';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { create } from '../testing/fixtures';
import { loadAndWait } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { PageThread, pageThread } from './page-thread-client';
import {
  PageThreadState,
  type ReaderSpec,
  servePageThread,
  type ThreadPage,
  type ThreadReply,
  type ThreadRequest,
  transformPage,
} from './page-thread';

// More than a load's page (1,000), so a load takes several.
const CUSTOMERS = 2500;
// Some plans fail the schema: pages carry failures as well as records.
const recordSchema = {
  type: 'object',
  required: ['id', 'email'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    plan: { type: 'string', enum: ['free', 'pro'] },
  },
};
const mappings: Mapping[] = [
  { target_field: 'id', field_type: 'field', column: { name: 'id' } },
  { target_field: 'email', field_type: 'expression', expression: { expr: 'lower(email)' } },
  { target_field: 'plan', field_type: 'field', column: { name: 'plan' } },
] as Mapping[];

let api: TestEngine;
let source: SourceDatabase;
let datasetId: string;
let manifest: CacheManifest;
let columns: SchemaColumn[] | null;
/** Every cached record, in file order, as a load reads them. */
let cached: CachedRecord[];
const now = Date.parse('2026-11-26T12:00:00Z');

beforeAll(async () => {
  api = await startTestEngine({ jobs: true });
  source = await createSourceDatabase({
    customers: CUSTOMERS,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  const dataset = await createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'customers' },
    type: 'dimension',
    dimension: { primary_key_column: 'id' },
  });
  datasetId = dataset.id;
  await extractNow(api, datasetId);
  manifest = await readCacheManifest(api.engine, datasetId);
  columns = (
    await api.engine.db.query<{ columns: SchemaColumn[] | null }>(
      'select columns from datasets where id = $1',
      [datasetId],
    )
  ).rows[0]!.columns;
  const reader = await openCachedRecords(api.engine, datasetId);
  cached = [];
  try {
    for await (const page of reader.changed({
      afterVersion: 0,
      upToVersion: Number.MAX_SAFE_INTEGER,
      pageSize: 1000,
    }))
      cached.push(...page);
  } finally {
    reader.close();
  }
}, 120_000);
afterAll(async () => {
  await api.close();
  await source.drop();
});

const spec = (objects = false, providerId = 'tenant'): ReaderSpec => ({
  providerId,
  manifest,
  mappings,
  recordSchema,
  columns,
  now,
  objects,
});

/** What the engine thread's own transform makes of records: the reference for the thread's pages. */
function expected(records: readonly CachedRecord[]) {
  const compiled = compileMappings(mappings, recordSchema, columns);
  if (!compiled.ok) throw new Error('the mappings compile');
  const results = records.map((record) => ({
    record,
    result: compiled.transform.apply(record, { now: new Date(now) }),
  }));
  const passed = results.filter(({ result }) => result.ok);
  return {
    recordIds: passed.map(({ record }) => record.recordId),
    objects: passed.map(({ result }) => (result.ok ? result.record : null)),
    failed: results.filter(({ result }) => !result.ok).map(({ record }) => record.recordId),
  };
}

const text = (page: ThreadPage) => Buffer.from(page.json).toString('utf8');

async function allPages(next: () => Promise<ThreadPage | null>): Promise<ThreadPage[]> {
  const pages: ThreadPage[] = [];
  for (let page = await next(); page; page = await next()) pages.push(page);
  return pages;
}

describe("the load thread's pages", () => {
  test('cover the changed records once, in file order, transformed as the engine would, with their failures', async () => {
    const state = new PageThreadState();
    const reader = (await state.handle({ kind: 'open', spec: spec() })) as number;
    const pages = await allPages(
      () =>
        state.handle({
          kind: 'page',
          reader,
          source: {
            kind: 'changed',
            afterVersion: 0,
            upToVersion: Number.MAX_SAFE_INTEGER,
            pageSize: 640,
            skip: [],
          },
        }) as Promise<ThreadPage | null>,
    );
    expect(pages.map((page) => page.recordIds.length + page.failures.length)).toEqual([
      640,
      640,
      640,
      CUSTOMERS - 3 * 640,
    ]);

    const reference = expected(cached);
    expect(reference.failed.length).toBeGreaterThan(0);
    expect(reference.recordIds.length).toBeGreaterThan(0);
    expect(pages.flatMap((page) => page.recordIds)).toEqual(reference.recordIds);
    expect(pages.flatMap((page) => page.failures.map((failure) => failure.recordId))).toEqual(
      reference.failed,
    );
    expect(
      pages.flatMap((page) =>
        page.failures.flatMap((failure) => failure.errors.map((error) => error.target_field)),
      ),
    ).toEqual(reference.failed.map(() => 'plan'));
    // Each page's JSON is the records' (written in one go), and the objects stay behind unless asked for.
    const objectOf = new Map(
      reference.recordIds.map((id, index) => [id, reference.objects[index]]),
    );
    expect(pages.map(text)).toEqual(
      pages.map((page) => toJson(page.recordIds.map((id) => objectOf.get(id)))),
    );
    expect(pages.every((page) => page.objects === null)).toBe(true);
    expect(await state.handle({ kind: 'close', reader })).toBeNull();
    await expect(
      state.handle({ kind: 'page', reader, source: { kind: 'ids', ids: ['1'] } }),
    ).rejects.toThrow(`No reader ${reader} is open`);
  });

  test('leave out the ids to skip, read given ids, and carry objects when asked', async () => {
    const state = new PageThreadState();
    const reader = (await state.handle({ kind: 'open', spec: spec(true) })) as number;
    const skip = cached.slice(0, 10).map((record) => record.recordId);
    const pages = await allPages(
      () =>
        state.handle({
          kind: 'page',
          reader,
          source: {
            kind: 'changed',
            afterVersion: 0,
            upToVersion: Number.MAX_SAFE_INTEGER,
            pageSize: 100,
            skip,
          },
        }) as Promise<ThreadPage | null>,
    );
    const read = pages.flatMap((page) => [
      ...page.recordIds,
      ...page.failures.map((failure) => failure.recordId),
    ]);
    expect(read).toHaveLength(CUSTOMERS - 10);
    expect(read.filter((id) => skip.includes(id))).toEqual([]);
    for (const page of pages) expect(toJson(page.objects)).toBe(text(page));

    const wanted = [cached[3]!.recordId, cached[2000]!.recordId, 'no such record'];
    const byIds = (await state.handle({
      kind: 'page',
      reader,
      source: { kind: 'ids', ids: wanted },
    })) as ThreadPage;
    expect(
      [...byIds.recordIds, ...byIds.failures.map((failure) => failure.recordId)].sort(),
    ).toEqual(wanted.slice(0, 2).sort());
    await state.handle({ kind: 'close', reader });
  });

  test("readers share the thread's DuckDB: one closing leaves the others reading", async () => {
    const state = new PageThreadState();
    const [first, second] = [
      (await state.handle({ kind: 'open', spec: spec() })) as number,
      (await state.handle({ kind: 'open', spec: spec() })) as number,
    ];
    const changed = {
      kind: 'changed',
      afterVersion: 0,
      upToVersion: Number.MAX_SAFE_INTEGER,
      pageSize: 500,
      skip: [],
    } as const;
    const next = (reader: number) =>
      state.handle({ kind: 'page', reader, source: changed }) as Promise<ThreadPage | null>;
    const read = [(await next(second))!];
    expect((await next(first))!.recordIds.length).toBeGreaterThan(0);
    await state.handle({ kind: 'close', reader: first });
    read.push(...(await allPages(() => next(second))));
    expect(read.flatMap((page) => page.recordIds)).toEqual(expected(cached).recordIds);
    await state.handle({ kind: 'stop' });
    await expect(next(second)).rejects.toThrow(`No reader ${second} is open`);
  });

  test('a page is posted before the next one is read ahead, so the engine gets each page as soon as it is ready', async () => {
    const state = new PageThreadState();
    const { port1, port2 } = new MessageChannel();
    // How many pages the thread had read when it posted each answer.
    const readWhenPosted: number[] = [];
    const post = port1.postMessage.bind(port1);
    port1.postMessage = (message: unknown, transfer?: Parameters<typeof post>[1]) => {
      readWhenPosted.push(state.pagesRead);
      post(message, transfer);
    };
    servePageThread(port1, state);
    const replies = new Map<number, (reply: ThreadReply) => void>();
    port2.on('message', (reply: ThreadReply) => replies.get(reply.id)?.(reply));
    const ask = (id: number, request: ThreadRequest) =>
      new Promise<ThreadReply>((resolve) => {
        replies.set(id, resolve);
        port2.postMessage({ id, request });
      });
    try {
      const opened = await ask(1, { kind: 'open', spec: spec() });
      const reader = opened.ok ? (opened.value as number) : -1;
      const changed = {
        kind: 'changed',
        afterVersion: 0,
        upToVersion: Number.MAX_SAFE_INTEGER,
        pageSize: 500,
        skip: [],
      } as const;
      for (let id = 2; id <= 4; id++)
        expect(await ask(id, { kind: 'page', reader, source: changed })).toMatchObject({
          ok: true,
        });
      // Answer k leaves with k pages read (the first page, then each read ahead while the engine had the one before).
      expect(readWhenPosted).toEqual([0, 1, 2, 3]);
      await ask(5, { kind: 'stop' });
    } finally {
      port1.close();
    }
  });

  test("a page's JSON owns its memory, so moving it to the other thread never takes Node's shared pool along", async () => {
    const compiled = compileMappings(mappings, recordSchema, columns);
    if (!compiled.ok) throw new Error('the mappings compile');
    for (const records of [cached.slice(0, 1), cached]) {
      const page = await transformPage(records, compiled.transform, new Date(now), false);
      expect(page.json.byteOffset).toBe(0);
      expect(page.json.buffer.byteLength).toBe(page.json.byteLength);
    }
  });

  test("a page whose records each run out of their time stops after about 2 s, and another load's page is transformed meanwhile", async () => {
    // Each record's expression runs into its 100 ms budget: a page of 1,000 would hold the thread for 100 s.
    const hostileMappings = [
      mappings[0]!,
      {
        target_field: 'email',
        field_type: 'expression',
        expression: { expr: 'string(len(map(1..1000000, reverse(1..1000000))))' },
      },
    ] as Mapping[];
    const hostile = compileMappings(hostileMappings, recordSchema, columns);
    const polite = compileMappings(mappings, recordSchema, columns);
    if (!hostile.ok || !polite.ok) throw new Error('the mappings compile');
    const started = performance.now();
    const slow = transformPage(cached.slice(0, 1000), hostile.transform, new Date(now), false, {
      budget: new PageTimeBudget(['email']),
    });
    slow.catch(() => {});
    let politeMs = 0;
    const quick = transformPage(cached, polite.transform, new Date(now), false).then((page) => {
      politeMs = performance.now() - started;
      return page;
    });

    const error = await slow.then(
      () => null,
      (failure: unknown) => failure,
    );
    const hostileMs = performance.now() - started;
    expect(error).toBeInstanceOf(ExpressionTooSlow);
    expect(error).toMatchObject({
      code: 'expression_too_slow',
      blame: 'configuration',
      title: 'The expression of mapping "email" is too slow',
    });
    expect((error as Error).message).toMatch(
      /^The expression of mapping "email" exceeded its time budget \(100 ms a record\) on \d+ of \d+ records, more than 2 s together/,
    );
    expect(hostileMs).toBeGreaterThan(2_000);
    expect(hostileMs).toBeLessThan(3_000);
    // The other page went in slices between the slow records, instead of after them.
    expect((await quick).recordIds).toEqual(expected(cached).recordIds);
    console.info(
      `a hostile page stopped after ${Math.round(hostileMs)} ms; another page took ${Math.round(politeMs)} ms meanwhile`,
    );
    expect(politeMs).toBeLessThan(hostileMs);
  });
});

describe('the load thread', () => {
  test(
    'answers from a worker of its own; a stopped thread answers what it was working on, fails what comes after, and the next reader starts another',
    { timeout: 60_000 },
    async () => {
      const thread = new PageThread();
      try {
        const reader = await thread.open(spec(true));
        const changed = {
          kind: 'changed',
          afterVersion: 0,
          upToVersion: Number.MAX_SAFE_INTEGER,
          pageSize: 100,
          skip: [],
        } as const;
        const pages = await allPages(() => reader.page(changed));
        expect(pages.flatMap((page) => page.recordIds)).toEqual(expected(cached).recordIds);
        // The JSON crossed as bytes, the objects as copies.
        for (const page of pages) expect(toJson(page.objects)).toBe(text(page));
        await reader.close();

        const cut = await thread.open(spec());
        const asked = cut.page(changed);
        await thread.stop();
        expect((await asked)!.recordIds.length).toBeGreaterThan(0);
        await expect(cut.page(changed)).rejects.toThrow('The load thread stopped');
        await cut.close();

        const again = await thread.open(spec());
        expect(
          (await allPages(() => again.page(changed))).flatMap((page) => page.recordIds),
        ).toEqual(expected(cached).recordIds);
        await again.close();
      } finally {
        await thread.stop();
      }
    },
  );

  test(
    'a failure outside any request ends the thread after its readers: what was asked fails with the reason, the process lives on, and the next reader starts another',
    { timeout: 60_000 },
    async () => {
      const previous = process.env.INLET_FAULT_POINTS;
      const restore = () =>
        previous === undefined
          ? delete process.env.INLET_FAULT_POINTS
          : (process.env.INLET_FAULT_POINTS = previous);
      // The second request the thread gets (the first page) leaves an exception behind it.
      process.env.INLET_FAULT_POINTS = 'load_thread_uncaught:2';
      const thread = new PageThread();
      try {
        const reader = await thread.open(spec());
        restore();
        const changed = {
          kind: 'changed',
          afterVersion: 0,
          upToVersion: Number.MAX_SAFE_INTEGER,
          pageSize: 100,
          skip: [],
        } as const;
        await expect(reader.page(changed)).rejects.toThrow(
          'The load thread failed: fault point load_thread_uncaught',
        );
        await expect(reader.page(changed)).rejects.toThrow('The load thread stopped');
        await reader.close();

        const again = await thread.open(spec());
        expect(
          (await allPages(() => again.page(changed))).flatMap((page) => page.recordIds),
        ).toEqual(expected(cached).recordIds);
        await again.close();
      } finally {
        restore();
        await thread.stop();
      }
    },
  );

  test(
    "a load whose thread stops fails as the engine's fault; the next load delivers the rest, every record once",
    { timeout: 90_000 },
    async () => {
      const receiver: Receiver = createReceiver({ engineUrl: api.baseUrl });
      await receiver.start();
      try {
        const destination = await create(
          api,
          '/import/destinations',
          {
            destination: {
              name: 'receiver',
              type: 'webhook_batch',
              record_schema: recordSchema,
              webhook_batch: {
                request_template: { method: 'POST', uri: `${receiver.url}/batch` },
                format: 'json',
                max_records_per_batch: 1000,
              },
            },
          },
          'destination',
        );
        const passing = [mappings[0]!, mappings[1]!];
        const stream = await create(
          api,
          '/import/streams',
          {
            stream: {
              name: 's',
              dataset_id: datasetId,
              destination_id: destination.id,
              is_enabled: false,
              mappings: passing,
            },
          },
          'stream',
        );
        // Slow deliveries keep the load going long enough to stop its thread after the first page.
        receiver.control.set({ latencyMs: 300 });
        const loading = loadAndWait(api, stream.id, 60_000);
        await receiver.waitFor((stats) => stats.deliveries >= 1, 30_000);
        await pageThread.stop();
        const failed = await loading;
        expect(failed).toMatchObject({
          status: 'failed',
          error: { blame: 'engine', message: expect.stringContaining('The load thread stopped') },
        });
        expect(failed.records_loaded).toBeGreaterThan(0);
        expect(failed.records_loaded).toBeLessThan(CUSTOMERS);

        receiver.control.reset();
        const finished = await loadAndWait(api, stream.id, 60_000);
        expect(finished).toMatchObject({
          status: 'succeeded',
          records_loaded: CUSTOMERS - failed.records_loaded,
          records_errored: 0,
        });
        const stats = receiver.store.stats();
        expect(stats.latestKeys).toBe(CUSTOMERS);
        expect(stats.duplicates).toBe(0);
      } finally {
        await receiver.stop();
      }
    },
  );
});
