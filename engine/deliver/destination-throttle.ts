// Enforces a destination's max_records_per_minute and max_concurrency. Deliveries only see `run`;
// the engine uses the shared throttle (shared-throttle.ts) so the limits hold across engines,
// LocalThrottle counts in one process only.

export interface DestinationThrottle {
  /** Runs `send` for `records` records once the rate and the concurrency allow it. */
  run<T>(records: number, send: () => Promise<T>): Promise<T>;
  /** A sender for one delivery loop (see ThrottleSender). */
  sender(): ThrottleSender;
}

/**
 * One delivery loop's place within max_concurrency: it takes a slot at its first send and keeps it
 * until closed, so the loop does not take and give back a slot per request. Each send still takes
 * its records from the rate.
 */
export interface ThrottleSender {
  run<T>(records: number, send: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Gives back a concurrency slot. */
export type ReleaseSlot = () => Promise<void>;

/**
 * A sender over a throttle's two halves: how it takes a slot, and how it takes records from the
 * rate.
 */
export class SlotSender implements ThrottleSender {
  private slot: Promise<ReleaseSlot> | null = null;

  constructor(
    private readonly takeSlot: () => Promise<ReleaseSlot>,
    private readonly takeTokens: (records: number) => Promise<void>,
  ) {}

  async run<T>(records: number, send: () => Promise<T>): Promise<T> {
    if (!this.slot) {
      const slot = this.takeSlot();
      this.slot = slot;
      // A slot that could not be taken is asked for again by the next send.
      slot.catch(() => {
        if (this.slot === slot) this.slot = null;
      });
    }
    await this.slot;
    await this.takeTokens(records);
    return send();
  }

  async close(): Promise<void> {
    const slot = this.slot;
    this.slot = null;
    const release = await slot?.catch(() => null);
    await release?.();
  }
}

/** `run` for throttles: a sender of one send. */
export async function runOnce<T>(
  throttle: DestinationThrottle,
  records: number,
  send: () => Promise<T>,
): Promise<T> {
  const sender = throttle.sender();
  try {
    return await sender.run(records, send);
  } finally {
    await sender.close();
  }
}

export interface ThrottleOptions {
  recordsPerMinute: number;
  maxConcurrency: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** At most `limit` holders at once, first come first served. */
export class Semaphore {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.held < this.limit) {
      this.held++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so the count never exceeds the limit.
    if (next) next();
    else this.held--;
  }
}

/** The limits of one process, in memory: for deliveries outside an engine (tests, tools). */
export class LocalThrottle implements DestinationThrottle {
  private tokens: number;
  private updatedAt: number;
  private readonly slots: Semaphore;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ThrottleOptions) {
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.slots = new Semaphore(options.maxConcurrency);
    // A full minute's budget may be spent at once, then refills continuously.
    this.tokens = options.recordsPerMinute;
    this.updatedAt = this.now();
  }

  run<T>(records: number, send: () => Promise<T>): Promise<T> {
    return runOnce(this, records, send);
  }

  sender(): ThrottleSender {
    return new SlotSender(
      async () => {
        await this.slots.acquire();
        return async () => this.slots.release();
      },
      (records) => this.takeTokens(records),
    );
  }

  private refill() {
    const now = this.now();
    const perMs = this.options.recordsPerMinute / 60_000;
    this.tokens = Math.min(
      this.options.recordsPerMinute,
      this.tokens + (now - this.updatedAt) * perMs,
    );
    this.updatedAt = now;
  }

  private async takeTokens(records: number) {
    // A batch larger than a minute's budget waits for a full bucket and then goes (it cannot be
    // split here).
    const needed = Math.min(records, this.options.recordsPerMinute);
    for (;;) {
      this.refill();
      if (this.tokens >= needed) {
        this.tokens -= needed;
        return;
      }
      const waitMs = Math.ceil((needed - this.tokens) / (this.options.recordsPerMinute / 60_000));
      await this.sleep(waitMs);
    }
  }
}
