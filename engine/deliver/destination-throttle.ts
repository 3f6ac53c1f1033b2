// Enforces a destination's max_records_per_minute and max_concurrency for the deliveries of this engine process.

export interface ThrottleOptions {
  recordsPerMinute: number;
  maxConcurrency: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class DestinationThrottle {
  private tokens: number;
  private updatedAt: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ThrottleOptions) {
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    // A full minute's budget may be spent at once, then refills continuously.
    this.tokens = options.recordsPerMinute;
    this.updatedAt = this.now();
  }

  /** Runs `send` for `records` records once the rate and the concurrency allow it. */
  async run<T>(records: number, send: () => Promise<T>): Promise<T> {
    await this.acquireSlot();
    try {
      await this.takeTokens(records);
      return await send();
    } finally {
      this.releaseSlot();
    }
  }

  private refill() {
    const now = this.now();
    const perMs = this.options.recordsPerMinute / 60_000;
    this.tokens = Math.min(this.options.recordsPerMinute, this.tokens + (now - this.updatedAt) * perMs);
    this.updatedAt = now;
  }

  private async takeTokens(records: number) {
    // A batch larger than a minute's budget waits for a full bucket and then goes (it cannot be split here).
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

  private async acquireSlot() {
    if (this.inFlight < this.options.maxConcurrency) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot() {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so inFlight never exceeds the limit.
    if (next) next();
    else this.inFlight--;
  }
}
