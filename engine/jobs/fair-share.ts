// Shares a process's job slots and cores between tenants: no provider holds every slot, and a job
// that has run for a while gives way, page by page, to the young (small, interactive) jobs of other
// providers, so one tenant's million records do not hold up another's ten.

export interface FairShareSettings {
  /** Jobs of one provider this process runs at once (the others wait in the queue). */
  slotsPerProvider: number;
  /** A job counts as small for this long after it starts; older jobs give way to small ones. */
  smallForMs: number;
  /**
   * The share of the time an old job keeps while small jobs of other providers run: after a step (a
   * page) that took t, it waits up to t × (1 − share) / share.
   */
  bigShare: number;
}

export const DEFAULT_SMALL_FOR_MS = 2000;
export const DEFAULT_BIG_SHARE = 0.1;

/** A job of this process, from its start to its end. */
export interface SharedJob {
  /**
   * Resolves at once while the job is young; once it is not, waits while young jobs of other
   * providers run (long enough to leave them all but `bigShare` of the time), then lets it take its
   * next step.
   */
  giveWay(): Promise<void>;
  end(): void;
}

/** The graphile-worker flag that names a job's provider (see forbiddenFlags). */
export function providerFlag(providerId: string): string {
  return `provider:${providerId}`;
}

/** The provider a job's flags name, if any. */
export function providerOfFlags(flags: Record<string, unknown> | null | undefined): string | null {
  const flag = Object.keys(flags ?? {}).find((name) => name.startsWith('provider:'));
  return flag ? flag.slice('provider:'.length) : null;
}

interface Entry {
  /** null: not known (the job carries no provider flag); it counts as every other provider's. */
  providerId: string | null;
  startedAt: number;
  /** When its last give-way ended. */
  lastStep?: number;
}

export class FairShare {
  private readonly running = new Set<Entry>();
  /** Give-ways waiting for a job to end. */
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly settings: FairShareSettings,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(providerId: string | null): SharedJob {
    const entry: Entry = { providerId, startedAt: this.now() };
    this.running.add(entry);
    return {
      giveWay: () => this.giveWay(entry),
      end: () => {
        if (!this.running.delete(entry)) return;
        for (const wake of [...this.waiting]) wake();
      },
    };
  }

  /**
   * The flags of the providers that run as many jobs here as they may: graphile-worker's
   * forbiddenFlags, so the next free slot goes to another provider's job.
   */
  forbiddenFlags(): string[] {
    const counts = new Map<string, number>();
    for (const { providerId } of this.running)
      if (providerId !== null) counts.set(providerId, (counts.get(providerId) ?? 0) + 1);
    return [...counts]
      .filter(([, count]) => count >= this.settings.slotsPerProvider)
      .map(([providerId]) => providerFlag(providerId));
  }

  private async giveWay(entry: Entry): Promise<void> {
    const { smallForMs, bigShare } = this.settings;
    const started = this.now();
    // What the job did since its last give-way (a page), which it now pays for in waiting.
    const worked = started - (entry.lastStep ?? started);
    const deadline = started + Math.min(smallForMs, (worked * (1 - bigShare)) / bigShare);
    try {
      for (;;) {
        const now = this.now();
        if (now - entry.startedAt < smallForMs || now >= deadline) return;
        const smallUntil = this.smallOthersUntil(entry, now);
        if (smallUntil === null) return;
        await this.waitForAnEnd(Math.min(smallUntil, deadline) - now);
      }
    } finally {
      entry.lastStep = this.now();
    }
  }

  /**
   * When the last of the young jobs of providers other than the entry's turns old (null: there are
   * none). A job whose provider is not known counts as another provider's.
   */
  private smallOthersUntil(entry: Entry, now: number): number | null {
    let until: number | null = null;
    for (const other of this.running) {
      if (other === entry || now - other.startedAt >= this.settings.smallForMs) continue;
      const sameProvider = other.providerId !== null && other.providerId === entry.providerId;
      if (!sameProvider) until = Math.max(until ?? 0, other.startedAt + this.settings.smallForMs);
    }
    return until;
  }

  /** Resolves once a job ends, or after `ms`. */
  private waitForAnEnd(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(1, ms));
      this.waiting.add(wake);
    });
  }
}
