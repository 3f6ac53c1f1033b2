import { describe, expect, test } from 'vitest';
import {
  at,
  extract,
  failedExtract,
  failedLoad,
  jobError,
  load,
  NOW,
  runningExtract,
} from './fixtures.test-helpers';
import { countsOf, loadCountsOf, runHistory, runTime } from './run-history';

describe('runHistory', () => {
  test('extracts and loads as one series, oldest first, whatever order the API listed them in', () => {
    const failed = failedExtract(60, jobError('source_unreachable', 'source'));
    const points = runHistory(
      [
        extract(120),
        extract(0, {
          records_new_inserted: 3,
          records_existing_updated: 1,
          records_existing_unchanged: 116,
          records_existing_deleted: 2,
        }),
        failed,
      ],
      [load(119, { records_loaded: 18, records_errored: 2 })],
    );
    expect(points.map((point) => [point.kind, point.at, point.status])).toEqual([
      ['extract', at(120), 'succeeded'],
      ['load', at(119), 'succeeded'],
      ['extract', at(60), 'failed'],
      ['extract', at(0), 'succeeded'],
    ]);
    expect(points[1]).toMatchObject({
      new: 0,
      updated: 0,
      deleted: 0,
      unchanged: 0,
      loaded: 18,
      errored: 2,
    });
    expect(points[3]).toMatchObject({
      new: 3,
      updated: 1,
      deleted: 2,
      unchanged: 116,
      loaded: 0,
      errored: 0,
    });
  });

  test('keeps the newest `limit` runs', () => {
    const extracts = Array.from({ length: 30 }, (_, index) => extract(index * 60));
    const points = runHistory(extracts, []);
    expect(points).toHaveLength(20);
    expect(points[0]!.at).toEqual(at(19 * 60));
    expect(points.at(-1)!.at).toEqual(NOW);
    expect(runHistory(extracts, [], 3).map((point) => point.at)).toEqual([at(120), at(60), at(0)]);
    expect(runHistory(extracts, [], 0)).toEqual([]);
  });

  test('a run still going is placed at its start', () => {
    const [point] = runHistory([runningExtract(4)], []);
    expect(point).toMatchObject({ status: 'running', at: at(4) });
  });

  test('runs at the same moment keep a stable order', () => {
    const a = extract(5, { id: 'a' });
    const b = load(5, { id: 'b' });
    expect(runHistory([a], [b]).map((point) => point.id)).toEqual(['a', 'b']);
    expect(
      runHistory(
        [],
        [failedLoad(5, jobError('destination_unavailable', 'destination'), { id: 'b' })],
      ).map((point) => point.id),
    ).toEqual(['b']);
  });
});

describe('runTime', () => {
  test('ended, else started, else submitted', () => {
    expect(runTime(extract(5))).toEqual(at(5));
    expect(runTime(extract(0, { ended_at: null, started_at: at(3).toISOString() }))).toEqual(at(3));
    expect(
      runTime(
        extract(0, {
          status: 'queued',
          ended_at: null,
          started_at: null,
          submitted_at: at(1).toISOString(),
        }),
      ),
    ).toEqual(at(1));
    expect(
      runTime(extract(0, { ended_at: null, started_at: null, submitted_at: 'garbage' })),
    ).toEqual(new Date(0));
  });
});

describe('labelled counts', () => {
  test('an extract: new, updated, deleted, unchanged, errored', () => {
    expect(
      countsOf(
        extract(5, {
          records_new_inserted: 12,
          records_existing_updated: 8,
          records_existing_deleted: 1,
          records_existing_unchanged: 99,
          records_errored: 2,
        }),
      ),
    ).toEqual([
      { key: 'new', label: 'New', value: 12 },
      { key: 'updated', label: 'Updated', value: 8 },
      { key: 'deleted', label: 'Deleted', value: 1 },
      { key: 'unchanged', label: 'Unchanged', value: 99 },
      { key: 'errored', label: 'Errored', value: 2 },
    ]);
  });

  test('a load: loaded, errored', () => {
    expect(loadCountsOf(load(5, { records_loaded: 17, records_errored: 3 }))).toEqual([
      { key: 'loaded', label: 'Loaded', value: 17 },
      { key: 'errored', label: 'Errored', value: 3 },
    ]);
  });
});
