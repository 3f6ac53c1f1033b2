import { describe, expect, test } from 'vitest';
import { FairShare, providerFlag, providerOfFlags } from './fair-share';

/** The real clock, which the test can also move ahead by hand (to make a job old at once). */
function clock() {
  let ahead = 0;
  return {
    now: () => performance.now() + ahead,
    advance: (ms: number) => void (ahead += ms),
  };
}

const settled = async (promise: Promise<unknown>, ms = 50) =>
  Promise.race([
    promise.then(() => true),
    new Promise((resolve) => setTimeout(() => resolve(false), ms)),
  ]);

describe('sharing the job slots between tenants', () => {
  test("a provider running its share of jobs has its jobs skipped, another's are not", () => {
    const share = new FairShare({ slotsPerProvider: 1, smallForMs: 2000, bigShare: 0.1 });
    const big = share.start('big');
    share.start(null);
    expect(share.forbiddenFlags()).toEqual([providerFlag('big')]);
    const small = share.start('small');
    expect(share.forbiddenFlags()).toEqual([providerFlag('big'), providerFlag('small')]);
    big.end();
    small.end();
    expect(share.forbiddenFlags()).toEqual([]);
  });

  test('a job names its provider through its flags', () => {
    expect(providerOfFlags({ [providerFlag('acme')]: true })).toBe('acme');
    expect(providerOfFlags(null)).toBeNull();
  });
});

describe('sharing the cores between tenants', () => {
  const settings = { slotsPerProvider: 1, smallForMs: 2000, bigShare: 0.1 };

  test("an old job waits while another tenant's young job runs, and goes on when it ends", async () => {
    const time = clock();
    const share = new FairShare(settings, time.now);
    const big = share.start('big');
    time.advance(5000);
    await big.giveWay();
    // A page that took 1 s: up to 9 s of waiting while the small job is young (2 s at most).
    time.advance(1000);
    const small = share.start('small');
    const waiting = big.giveWay();
    expect(await settled(waiting)).toBe(false);
    small.end();
    expect(await settled(waiting)).toBe(true);
  });

  test("a young job does not wait, nor does an old one for its own tenant's young job", async () => {
    const time = clock();
    const share = new FairShare(settings, time.now);
    const first = share.start('big');
    const young = share.start('small');
    expect(await settled(first.giveWay())).toBe(true);
    young.end();
    time.advance(5000);
    await first.giveWay();
    time.advance(1000);
    share.start('big');
    expect(await settled(first.giveWay())).toBe(true);
  });

  test('an old job waits no longer than its share allows', async () => {
    const time = clock();
    const share = new FairShare(settings, time.now);
    const big = share.start('big');
    time.advance(5000);
    await big.giveWay();
    // A 10 ms page: 90 ms of waiting, though the small job stays young for 2 s.
    time.advance(10);
    share.start('small');
    const started = performance.now();
    await big.giveWay();
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThan(50);
    expect(waited).toBeLessThan(1000);
  });
});
