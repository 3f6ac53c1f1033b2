import { describe, expect, it } from 'vitest';
import { createReceiverStore } from './receiver-store';

const delivery = (deliveryId: string) => ({
  deliveryId,
  provider: 'acme',
  path: '/b',
  kind: 'batch-json' as const,
  receivedAt: '2026-11-26T10:00:00.000Z',
});
const items = (...keys: string[]) =>
  keys.map((key) => ({ record: { id: key }, key, isDeleted: false }));

describe('createReceiverStore', () => {
  it('keeps the newest records and keys within its bounds, while the counters keep the full count', () => {
    const store = createReceiverStore({ maxRecords: 3, maxLatestKeys: 10 });
    store.storeDelivery(delivery('d1'), items('a', 'b'));
    store.storeDelivery(delivery('d2'), items('c', 'd'));
    expect(store.records().records.map((stored) => stored.key)).toEqual(['b', 'c', 'd']);
    expect(store.stats()).toMatchObject({ stored: 2, records: 4, latestKeys: 4 });

    for (let index = 0; index < 30; index++)
      store.storeDelivery(delivery(`k${index}`), items(`k${index}`));
    const latest = store.records({ latest: true, limit: 100 }).records.map((stored) => stored.key);
    expect(latest.length).toBeLessThanOrEqual(11);
    expect(latest.at(-1)).toBe('k29');
    expect(store.latest('acme', 'a')).toBeUndefined();
  });

  it('moves a key to the newest end when a new version arrives, so trimming keeps it', () => {
    const store = createReceiverStore({ maxLatestKeys: 10 });
    store.storeDelivery(delivery('first'), items('keep'));
    for (let index = 0; index < 20; index++) {
      store.storeDelivery(delivery(`d${index}`), items(`k${index}`));
      if (index % 5 === 0) store.storeDelivery(delivery(`again${index}`), items('keep'));
    }
    expect(store.latest('acme', 'keep')?.deliveryId).toBe('again15');
  });

  it('remembers a bounded number of delivery ids, forgetting the oldest', () => {
    const store = createReceiverStore({ maxDeliveryIds: 10 });
    // Trimmed in one pass once a tenth over the bound: 11 ids are kept, the 12th trims back to the newest 10.
    for (let index = 0; index < 11; index++) store.storeDelivery(delivery(`d${index}`), []);
    expect(store.wasDelivered('d0')).toBe(true);
    store.storeDelivery(delivery('d11'), []);
    expect(['d0', 'd1', 'd2', 'd11'].map((id) => store.wasDelivered(id))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it('filters records by provider, path and key', () => {
    const store = createReceiverStore();
    store.storeDelivery(delivery('d1'), items('1', '2'));
    store.storeDelivery({ ...delivery('d2'), provider: 'globex', path: '/other' }, items('1'));
    expect(
      store.records({ provider: 'globex' }).records.map((stored) => stored.deliveryId),
    ).toEqual(['d2']);
    expect(
      store
        .records({ path: '/b', key: '1' })
        .records.map((stored) => [stored.provider, stored.key]),
    ).toEqual([['acme', '1']]);
    expect(store.latest('globex', '1')?.deliveryId).toBe('d2');
    expect(store.latest('acme', '1')?.deliveryId).toBe('d1');
  });

  it('pages the newest records first, and sums up each provider and path', () => {
    const store = createReceiverStore();
    store.storeDelivery(delivery('d1'), items('1', '2', '3'));
    store.storeDelivery({ ...delivery('d2'), receivedAt: '2026-11-26T10:05:00.000Z' }, [
      { record: { id: '2' }, key: '2', isDeleted: true },
    ]);
    store.storeDelivery({ ...delivery('d3'), path: '/orders' }, items('1'));
    store.storeDelivery({ ...delivery('d4'), provider: 'globex', path: '/other' }, items('9'));
    const first = store.records({ provider: 'acme', order: 'desc', limit: 2 });
    expect(first.records.map((stored) => stored.seq)).toEqual([5, 4]);
    expect(
      store
        .records({ provider: 'acme', order: 'desc', before: first.nextBefore! })
        .records.map((stored) => stored.seq),
    ).toEqual([3, 2, 1]);
    // Per path, the users' "1" is not shadowed by the order "1".
    expect(
      store
        .records({ latest: true, order: 'desc', provider: 'acme', path: '/b' })
        .records.map((stored) => stored.key),
    ).toEqual(['2', '3', '1']);
    const path = (name: string, counts: object) => ({
      path: name,
      lastReceivedAt: '2026-11-26T10:00:00.000Z',
      ...counts,
    });
    expect(store.providers()).toEqual([
      {
        provider: 'acme',
        deliveries: 3,
        records: 5,
        deletions: 1,
        latestKeys: 4,
        deletedKeys: 1,
        lastReceivedAt: '2026-11-26T10:05:00.000Z',
        paths: [
          path('/b', {
            deliveries: 2,
            records: 4,
            deletions: 1,
            latestKeys: 3,
            deletedKeys: 1,
            lastReceivedAt: '2026-11-26T10:05:00.000Z',
          }),
          path('/orders', {
            deliveries: 1,
            records: 1,
            deletions: 0,
            latestKeys: 1,
            deletedKeys: 0,
          }),
        ],
      },
      {
        provider: 'globex',
        deliveries: 1,
        records: 1,
        deletions: 0,
        latestKeys: 1,
        deletedKeys: 0,
        lastReceivedAt: '2026-11-26T10:00:00.000Z',
        paths: [
          path('/other', {
            deliveries: 1,
            records: 1,
            deletions: 0,
            latestKeys: 1,
            deletedKeys: 0,
          }),
        ],
      },
    ]);
    store.reset();
    expect(store.providers()).toEqual([]);
  });
});
