import { describe, expect, it } from 'vitest';
import { createReceiverStore } from './receiver-store';

const delivery = (deliveryId: string) => ({ deliveryId, provider: 'acme', path: '/b', kind: 'batch-json' as const, receivedAt: '2026-11-26T10:00:00.000Z' });
const items = (...keys: string[]) => keys.map((key) => ({ record: { id: key }, key, isDeleted: false }));

describe('createReceiverStore', () => {
  it('keeps the newest records and keys within its bounds, while the counters keep the full count', () => {
    const store = createReceiverStore({ maxRecords: 3, maxLatestKeys: 10 });
    store.storeDelivery(delivery('d1'), items('a', 'b'));
    store.storeDelivery(delivery('d2'), items('c', 'd'));
    expect(store.records().records.map((stored) => stored.key)).toEqual(['b', 'c', 'd']);
    expect(store.stats()).toMatchObject({ stored: 2, records: 4, latestKeys: 4 });

    for (let index = 0; index < 30; index++) store.storeDelivery(delivery(`k${index}`), items(`k${index}`));
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
    expect(['d0', 'd1', 'd2', 'd11'].map((id) => store.wasDelivered(id))).toEqual([false, false, true, true]);
  });

  it('filters records by provider, path and key', () => {
    const store = createReceiverStore();
    store.storeDelivery(delivery('d1'), items('1', '2'));
    store.storeDelivery({ ...delivery('d2'), provider: 'globex', path: '/other' }, items('1'));
    expect(store.records({ provider: 'globex' }).records.map((stored) => stored.deliveryId)).toEqual(['d2']);
    expect(store.records({ path: '/b', key: '1' }).records.map((stored) => [stored.provider, stored.key])).toEqual([['acme', '1']]);
    expect(store.latest('globex', '1')?.deliveryId).toBe('d2');
    expect(store.latest('acme', '1')?.deliveryId).toBe('d1');
  });
});
