// Enforces a destination's max_records_per_minute and max_concurrency across every engine sharing
// the database: a token bucket row per destination, updated atomically, and a lease row per
// concurrency slot, renewed while held (by a sender, for its whole delivery loop).
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/db';
import {
  type DestinationThrottle,
  type ReleaseSlot,
  runOnce,
  Semaphore,
  SlotSender,
  type ThrottleSender,
} from './destination-throttle';

export interface SharedThrottleOptions {
  db: Queryable;
  destinationId: string;
  recordsPerMinute: number;
  maxConcurrency: number;
  /**
   * How long a slot stays taken without renewal, i.e. the longest a crashed engine can hold one
   * (default 30 s).
   */
  leaseMs?: number;
  /** The pause between attempts to take a busy slot (jittered ±50%). */
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Tokens taken ahead from the shared bucket are spent here for at most this long. At rates above 4
 * records/s this saves a database round trip per request; it can let through at most this much of
 * the rate early.
 */
const POCKET_MS = 250;

// A full minute's budget to start with, then a continuous refill; a caller may take more than is
// left and then waits for its share (`tokens` < 0). The clock is read once, before the row lock, so
// a refill is never negative.
const TAKE_TOKENS = `
  with clock as (select clock_timestamp() as at)
  insert into destination_buckets as bucket (destination_id, tokens, refilled_at)
  select $1, $2::float8 - $3::float8, at from clock
  on conflict (destination_id) do update set
    tokens = least($2::float8, bucket.tokens + greatest(0, extract(epoch from
      excluded.refilled_at - bucket.refilled_at)::float8) * $2::float8 / 60) - $3::float8,
    refilled_at = greatest(bucket.refilled_at, excluded.refilled_at)
  returning tokens`;

const CREATE_SLOTS =
  `insert into destination_leases (destination_id, slot) select $1, ` +
  `generate_series(0, $2::int - 1) on conflict do nothing`;

// SKIP LOCKED: engines racing for slots each get a different free one (or none) without waiting on
// each other.
const TAKE_SLOT = `
  update destination_leases set holder = $2, expires_at = clock_timestamp() + make_interval(secs
    => $3::float8 / 1000)
  where destination_id = $1 and slot = (
    select slot from destination_leases
    where destination_id = $1 and slot < $4 and expires_at < clock_timestamp()
    order by slot limit 1 for update skip locked)
  returning slot`;

const RENEW_SLOT =
  `update destination_leases set expires_at = clock_timestamp() + ` +
  `make_interval(secs => $4::float8 / 1000) where destination_id = $1 and slot = $2 and holder = ` +
  `$3`;

const RELEASE_SLOT =
  `update destination_leases set holder = null, expires_at = '-infinity' ` +
  `where destination_id = $1 and slot = $2 and holder = $3`;

export class SharedThrottle implements DestinationThrottle {
  /**
   * The fast path: this process never asks the database for more slots than it could use at once.
   */
  private readonly localSlots: Semaphore;
  private pocket = { tokens: 0, until: 0 };
  private tokenTurn: Promise<unknown> = Promise.resolve();
  private slotsCreated: Promise<unknown> | null = null;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SharedThrottleOptions) {
    this.localSlots = new Semaphore(options.maxConcurrency);
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 25;
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  run<T>(records: number, send: () => Promise<T>): Promise<T> {
    return runOnce(this, records, send);
  }

  /**
   * Holds its lease (renewed on its timer) from its first send until closed: no lease write per
   * request.
   */
  sender(): ThrottleSender {
    return new SlotSender(
      () => this.takeLocalThenSharedSlot(),
      (records) => this.takeTokens(records),
    );
  }

  private async takeLocalThenSharedSlot(): Promise<ReleaseSlot> {
    await this.localSlots.acquire();
    try {
      const release = await this.takeSlot();
      return async () => {
        await release();
        this.localSlots.release();
      };
    } catch (error) {
      this.localSlots.release();
      throw error;
    }
  }

  /** Waits for a free slot of the destination; returns its release. */
  private async takeSlot(): Promise<ReleaseSlot> {
    const { db, destinationId, maxConcurrency } = this.options;
    this.slotsCreated ??= db
      .query(CREATE_SLOTS, [destinationId, maxConcurrency])
      .catch((error: unknown) => {
        this.slotsCreated = null;
        throw error;
      });
    await this.slotsCreated;
    const holder = randomUUID();
    const slot = await this.firstFreeSlot(holder);
    // A renewal that fails (the database is briefly away) is retried at the next tick; the lease
    // outlives two misses.
    const renewal = setInterval(
      () => void db.query(RENEW_SLOT, [destinationId, slot, holder, this.leaseMs]).catch(() => {}),
      this.leaseMs / 3,
    );
    renewal.unref();
    return async () => {
      clearInterval(renewal);
      // If this fails the lease simply expires.
      await db.query(RELEASE_SLOT, [destinationId, slot, holder]).catch(() => {});
    };
  }

  private async firstFreeSlot(holder: string): Promise<number> {
    const { db, destinationId, maxConcurrency } = this.options;
    for (;;) {
      const slot = (
        await db.query<{ slot: number }>(TAKE_SLOT, [
          destinationId,
          holder,
          this.leaseMs,
          maxConcurrency,
        ])
      ).rows[0]?.slot;
      if (slot !== undefined) return slot;
      await this.sleep(this.pollMs * (0.5 + Math.random()));
    }
  }

  /** One reservation at a time in this process, in arrival order. */
  private takeTokens(records: number): Promise<void> {
    const turn = this.tokenTurn.then(() => this.reserve(records));
    this.tokenTurn = turn.catch(() => {});
    return turn;
  }

  private async reserve(records: number): Promise<void> {
    if (this.pocket.tokens >= records && this.now() < this.pocket.until) {
      this.pocket.tokens -= records;
      return;
    }
    const { db, destinationId, recordsPerMinute } = this.options;
    const perMs = recordsPerMinute / 60_000;
    const take = Math.max(records, Math.floor(perMs * POCKET_MS));
    const left = (
      await db.query<{ tokens: number }>(TAKE_TOKENS, [destinationId, recordsPerMinute, take])
    ).rows[0]!.tokens;
    if (left < 0) await this.sleep(Math.ceil(-left / perMs));
    this.pocket = { tokens: take - records, until: this.now() + POCKET_MS };
  }
}
