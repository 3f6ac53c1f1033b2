import { describe, expect, test } from 'vitest';
import type { Load } from '@/lib/prequel/contract/job';
import { launchState, recordCount } from './launch-state';
import type { StreamRow } from './queries';

const load = (status: Load['status'], loaded: number, extra: Partial<Load> = {}): Load => ({
  id: `load-${status}-${loaded}`,
  stream_id: 'stream',
  status,
  submitted_at: '2026-01-01T10:00:00Z',
  started_at: '2026-01-01T10:00:01Z',
  ended_at: status === 'running' || status === 'queued' ? null : '2026-01-01T10:01:00Z',
  records_processed: loaded,
  records_transformed: loaded,
  records_valid: loaded,
  records_loaded: loaded,
  records_errored: 0,
  error: null,
  ...extra,
});
const row = (latestLoad: Load | null, isEnabled = true): StreamRow => ({
  id: `stream-${Math.random()}`,
  name: 'Customers',
  isEnabled,
  latestLoad,
});

describe('launchState', () => {
  test('nothing launched yet: ready, whatever loads disabled streams had', () => {
    expect(launchState(undefined)).toEqual({ kind: 'ready' });
    expect(launchState([row(load('succeeded', 5), false)])).toEqual({ kind: 'ready' });
  });

  test('while any load runs, the one state is delivering, with the records of every stream so far', () => {
    expect(launchState([row(load('running', 120)), row(load('succeeded', 30))])).toEqual({
      kind: 'delivering',
      delivered: 150,
    });
    expect(launchState([row(load('queued', 0))])).toEqual({ kind: 'delivering', delivered: 0 });
    expect(launchState([row(null)])).toEqual({ kind: 'delivering', delivered: 0 });
  });

  test('once every load has finished: delivered, with what the endpoint refused', () => {
    expect(
      launchState([
        row(load('succeeded', 990, { records_errored: 10 })),
        row(load('succeeded', 10)),
        row(load('running', 3), false),
      ]),
    ).toEqual({ kind: 'delivered', delivered: 1000, refused: 10 });
  });

  test('a failed or cancelled load stops the launch with its reason, never as delivered', () => {
    const error = {
      error_code: 'destination_unreachable',
      title: 'Endpoint unreachable',
      message: 'Your endpoint did not answer.',
      blame: 'destination',
      documentation_url: '',
      trace: '',
    };
    expect(launchState([row(load('succeeded', 50)), row(load('failed', 7, { error }))])).toEqual({
      kind: 'stopped',
      delivered: 57,
      message: 'Your endpoint did not answer.',
    });
    expect(launchState([row(load('cancelled', 0))])).toMatchObject({ kind: 'stopped' });
  });
});

test('recordCount', () => {
  expect(recordCount(1)).toBe('1 record');
  expect(recordCount(1000)).toBe('1,000 records');
  expect(recordCount(0)).toBe('0 records');
});
