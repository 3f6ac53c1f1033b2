import { describe, expect, test } from 'vitest';
import {
  extract,
  failedExtract,
  failedLoad,
  jobError,
  load,
} from '@/lib/prequel/contract/health/fixtures.test-helpers';
import { changeTitle, extractWords, loadWords } from './timeline-words';

const names = {
  tenant: 'Acme',
  objects: new Map([
    ['dataset-1', 'customers'],
    ['stream-1', 'orders to Acme'],
  ]),
};
const event = (event_type: string, object: unknown = null, previous_object: unknown = null) => ({
  event_type,
  object,
  previous_object,
});

describe('the support timeline in words', () => {
  test('a configuration change says whose setup changed and how, never the event name', () => {
    expect(changeTitle(event('IMPORT_STREAM_ADD', { name: 'orders to Acme' }), names)).toBe(
      "Acme's setup: stream created (orders to Acme)",
    );
    expect(changeTitle(event('IMPORT_SOURCE_UPDATE', { name: 'Production' }), names)).toBe(
      "Acme's setup: database connection changed (Production)",
    );
    expect(changeTitle(event('IMPORT_DATASET_DELETE', null, { name: 'customers' }), names)).toBe(
      "Acme's setup: dataset deleted (customers)",
    );
    expect(changeTitle(event('IMPORT_PROVIDER_CREATE'), names)).toBe(
      "Acme's setup: account created",
    );
  });

  test('a stream turned off or on reads as paused or resumed', () => {
    const paused = event(
      'IMPORT_STREAM_UPDATE',
      { name: 'orders to Acme', is_enabled: false },
      { name: 'orders to Acme', is_enabled: true },
    );
    expect(changeTitle(paused, names)).toBe("Acme's setup: stream paused (orders to Acme)");
    const renamed = event('IMPORT_STREAM_UPDATE', { name: 'b', is_enabled: true }, { name: 'a' });
    expect(changeTitle(renamed, names)).toBe("Acme's setup: stream changed (b)");
  });

  test('requested and cancelled runs name the dataset or stream they ran on', () => {
    expect(changeTitle(event('IMPORT_EXTRACT_REQUEST', { dataset_id: 'dataset-1' }), names)).toBe(
      "Acme's data: extract requested (customers)",
    );
    expect(changeTitle(event('IMPORT_LOAD_CANCEL', { stream_id: 'stream-1' }), names)).toBe(
      "Acme's data: load cancelled (orders to Acme)",
    );
    expect(changeTitle(event('SUPPORT_RECONNECT_LINK_SENT'), names)).toBe(
      'Acme: reconnect link sent',
    );
  });

  test('an event without words of its own is still spelled out, not shouted', () => {
    expect(changeTitle(event('IMPORT_WIDGET_FROB'), names)).toBe("Acme's setup: widget frob");
  });

  test('runs say what they did, and a failure says what went wrong in words', () => {
    expect(extractWords('customers', extract(5))).toEqual({
      title: 'Extract of customers finished',
      detail: '12 new, 8 updated, 0 deleted',
    });
    const refused = jobError('source_auth_failed', 'source', 'Postgres refused "acme_reader".');
    expect(extractWords('customers', failedExtract(5, refused))).toEqual({
      title: 'Extract of customers failed',
      detail: 'The database refused the password. Postgres refused "acme_reader".',
    });
    expect(loadWords('orders to Acme', load(5)).title).toBe('Load of orders to Acme finished');
    const down = jobError('destination_unavailable', 'destination', 'The endpoint answered 500.');
    expect(loadWords('orders to Acme', failedLoad(5, down)).detail).toBe(
      "The service's endpoint is failing (HTTP 500). The endpoint answered 500.",
    );
  });
});
