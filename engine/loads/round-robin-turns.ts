// The load thread's turns, round-robin by provider: of the work waiting, one provider's slice goes
// at a time, in rotation, so a tenant with many pages (or many readers) never stands before another
// tenant's first page.

export class RoundRobinTurns {
  /** The waiting slices by provider, in the order their providers get a turn. */
  private readonly waiting = new Map<string, (() => void)[]>();
  private granting = false;

  /**
   * `defer`: how the next grant waits for the granted slice to end and for the thread's messages
   * and I/O to come in (by default, the event loop's next turn).
   */
  constructor(
    private readonly defer: (grant: () => void) => void = (grant) => void setImmediate(grant),
  ) {}

  /** Resolves at `providerId`'s turn: the caller runs one slice of work, then asks again. */
  turn(providerId: string): Promise<void> {
    return new Promise((resolve) => {
      const line = this.waiting.get(providerId);
      if (line) line.push(resolve);
      else this.waiting.set(providerId, [resolve]);
      this.grantSoon();
    });
  }

  private grantSoon(): void {
    if (this.granting) return;
    this.granting = true;
    this.defer(() => {
      this.granting = false;
      this.grant();
    });
  }

  private grant(): void {
    const next = this.waiting.entries().next();
    if (next.done) return;
    const [providerId, line] = next.value;
    const resolve = line.shift()!;
    // To the back of the rotation, with whatever else it has waiting.
    this.waiting.delete(providerId);
    if (line.length) this.waiting.set(providerId, line);
    resolve();
    if (this.waiting.size) this.grantSoon();
  }
}
