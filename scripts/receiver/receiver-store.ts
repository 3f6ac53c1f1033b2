// The receiver's memory: records, the latest version per key, the delivery and rejection logs, and
// counters. Everything is bounded (oldest dropped first) so a long benchmark cannot exhaust memory;
// counters never drop.
import type { JsonValue } from './json-value';

export type DeliveryKind = 'record' | 'batch-json' | 'batch-csv' | 'batch-parquet';

export interface StoredRecord {
  /** Increases by one per stored record; use it as the `after` cursor. */
  seq: number;
  receivedAt: string;
  provider: string;
  /** The request path the delivery was sent to (templates may route by provider or record). */
  path: string;
  deliveryId: string;
  kind: DeliveryKind;
  key: string | null;
  isDeleted: boolean;
  /** The parsed record; null for a webhook_record body that is not JSON. */
  record: JsonValue | null;
  /**
   * webhook_record only: the body exactly as received, since a custom template's output need not be
   * JSON.
   */
  rawBody?: string;
}

export type DeliveryOutcome =
  | 'stored'
  | 'duplicate'
  | 'unverified'
  | 'records_refused'
  | 'invalid'
  | 'failed'
  | 'scripted'
  | 'dropped'
  | 'stalled'
  | 'ack_lost'
  | 'too_large';

export interface DeliveryLogEntry {
  seq: number;
  receivedAt: string;
  method: string;
  path: string;
  deliveryId: string | null;
  provider: string | null;
  /** The HTTP status answered; null when the connection was dropped, stalled or the ack lost. */
  status: number | null;
  outcome: DeliveryOutcome;
  reason?: string;
  kind: DeliveryKind | null;
  loadId?: string | null;
  /** Request body bytes (plus the batch file's, for csv/parquet). */
  bytes: number;
  records: number;
  durationMs: number;
}

export interface RejectionEntry {
  at: string;
  deliveryId: string | null;
  provider: string | null;
  path: string;
  reason: string;
  message: string;
}

export interface ReceiverStats {
  /** Delivery requests seen (the read API is not counted). */
  deliveries: number;
  /** Deliveries stored for the first time (including those whose ack was then lost). */
  stored: number;
  /**
   * Records stored, deletions included (a count of everything ever stored, not just what is still
   * in memory).
   */
  records: number;
  deletions: number;
  duplicates: number;
  /** Deliveries refused because they failed verification (401). */
  rejections: number;
  /** Deliveries refused (400) because a control rule matched one of their records. */
  recordRefusals: number;
  scripted: number;
  dropped: number;
  stalled: number;
  lostAcks: number;
  failed: number;
  /**
   * Requests that reached the redirect trap: a client followed a redirect it should have treated as
   * a failure.
   */
  redirectsFollowed: number;
  /**
   * Scripted bodies (`bodyBytes`) the client hung up on before their end, as a sender that caps
   * what it reads does.
   */
  abandonedBodies: number;
  /**
   * Delivery requests arrived and not yet finished (answered, dropped or stalled until the receiver
   * stops).
   */
  inFlight: number;
  /**
   * The most delivery requests in flight at once since the last reset: what a sender's concurrency
   * limit bounds.
   */
  peakInFlight: number;
  bytes: number;
  byStatus: Record<string, number>;
  byOutcome: Partial<Record<DeliveryOutcome, number>>;
  latestKeys: number;
}

export interface ReceiverStoreLimits {
  maxRecords: number;
  maxLatestKeys: number;
  maxDeliveryLog: number;
  maxRejections: number;
  /** Delivery ids remembered for de-duplication. */
  maxDeliveryIds: number;
}

export const DEFAULT_STORE_LIMITS: ReceiverStoreLimits = {
  maxRecords: 100_000,
  maxLatestKeys: 100_000,
  maxDeliveryLog: 50_000,
  maxRejections: 10_000,
  maxDeliveryIds: 500_000,
};

export interface RecordQuery {
  provider?: string;
  path?: string;
  key?: string;
  /** Only records with a larger seq (oldest first). */
  after?: number;
  /** Only records with a smaller seq (newest first). */
  before?: number;
  limit?: number;
  /**
   * The latest version per (provider, key) instead of every version received; with `path`, per
   * (provider, path, key), so destinations whose ids overlap (users 7 and orders 7) each keep their
   * own.
   */
  latest?: boolean;
  /**
   * `desc`: the newest first, paged with `before`; `asc` (default): the oldest first, paged with
   * `after`.
   */
  order?: 'asc' | 'desc';
}

/** What arrived at one request path (one destination, usually); counts are since the last reset. */
export interface PathSummary {
  path: string;
  /** Deliveries stored. */
  deliveries: number;
  /** Records stored, every version and deletions included (never trimmed). */
  records: number;
  deletions: number;
  /**
   * Distinct keys whose latest version is held, and how many of those latest versions are
   * deletions.
   */
  latestKeys: number;
  deletedKeys: number;
  lastReceivedAt: string;
}

/** One provider's deliveries: the totals, and the same per path. */
export interface ProviderSummary extends Omit<PathSummary, 'path'> {
  provider: string;
  paths: PathSummary[];
}

/** A fixed-capacity FIFO: pushing past capacity drops the oldest item. */
class Ring<T> {
  private items: (T | undefined)[] = [];
  private start = 0;
  private count = 0;
  constructor(private readonly capacity: number) {}

  push(item: T) {
    if (this.capacity <= 0) return;
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  get length() {
    return this.count;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let index = 0; index < this.count; index++)
      yield this.items[(this.start + index) % this.capacity]!;
  }

  *newestFirst(): IterableIterator<T> {
    for (let index = this.count - 1; index >= 0; index--)
      yield this.items[(this.start + index) % this.capacity]!;
  }

  clear() {
    this.items = [];
    this.start = 0;
    this.count = 0;
  }
}

const emptyStats = (): ReceiverStats => ({
  deliveries: 0,
  stored: 0,
  records: 0,
  deletions: 0,
  duplicates: 0,
  rejections: 0,
  recordRefusals: 0,
  scripted: 0,
  dropped: 0,
  stalled: 0,
  lostAcks: 0,
  failed: 0,
  redirectsFollowed: 0,
  abandonedBodies: 0,
  inFlight: 0,
  peakInFlight: 0,
  bytes: 0,
  byStatus: {},
  byOutcome: {},
  latestKeys: 0,
});

type OutcomeCounter =
  'rejections' | 'recordRefusals' | 'scripted' | 'dropped' | 'stalled' | 'lostAcks' | 'failed';

const OUTCOME_COUNTER: Partial<Record<DeliveryOutcome, OutcomeCounter>> = {
  unverified: 'rejections',
  records_refused: 'recordRefusals',
  scripted: 'scripted',
  dropped: 'dropped',
  stalled: 'stalled',
  ack_lost: 'lostAcks',
  failed: 'failed',
};

/**
 * Bounded maps are trimmed in one pass once they pass their limit by a tenth: deleting the oldest
 * entry on every insert is quadratic in V8, whose ordered tables keep deleted slots at the front
 * until the next rehash.
 */
const slack = (limit: number) => limit + Math.max(1, Math.ceil(limit / 10));

export function createReceiverStore(limits: Partial<ReceiverStoreLimits> = {}) {
  const bounds = { ...DEFAULT_STORE_LIMITS, ...limits };
  let records = new Ring<StoredRecord>(bounds.maxRecords);
  let deliveryLog = new Ring<DeliveryLogEntry>(bounds.maxDeliveryLog);
  let rejections = new Ring<RejectionEntry>(bounds.maxRejections);
  // Map and Set iterate in insertion order, so the oldest entries come first.
  let latest = new Map<string, StoredRecord>();
  let delivered = new Set<string>();
  let stats = emptyStats();
  // Per provider and path, in one map keyed like latestPerPath; latest and deleted keys are counted
  // when asked.
  let arrivals = new Map<
    string,
    Omit<PathSummary, 'latestKeys' | 'deletedKeys'> & { provider: string }
  >();
  let latestPerPath = new Map<string, StoredRecord>();
  let recordSeq = 0;
  let deliverySeq = 0;

  const latestKey = (provider: string, key: string) => `${provider}\u0000${key}`;
  const pathKey = (provider: string, path: string) => `${provider}\u0000${path}`;

  /** Drops the entries idle the longest once a map is a tenth over its bound. */
  const trim = (map: Map<string, StoredRecord>) => {
    if (map.size <= slack(bounds.maxLatestKeys)) return;
    let excess = map.size - bounds.maxLatestKeys;
    for (const id of map.keys()) {
      if (excess-- <= 0) break;
      map.delete(id);
    }
  };

  return {
    /**
     * Whether a delivery id was already stored (deliveries refused or failed may be retried and
     * stored later).
     */
    wasDelivered(deliveryId: string): boolean {
      return delivered.has(deliveryId);
    },

    /**
     * Stores one delivery's records and remembers its id, in one step so a duplicate can never slip
     * between.
     */
    storeDelivery(
      delivery: {
        deliveryId: string;
        provider: string;
        path: string;
        kind: DeliveryKind;
        receivedAt: string;
      },
      items: {
        record: JsonValue | null;
        key: string | null;
        isDeleted: boolean;
        rawBody?: string;
      }[],
    ) {
      delivered.add(delivery.deliveryId);
      stats.stored++;
      if (delivered.size > slack(bounds.maxDeliveryIds)) {
        let excess = delivered.size - bounds.maxDeliveryIds;
        for (const id of delivered) {
          if (excess-- <= 0) break;
          delivered.delete(id);
        }
      }
      const { deliveryId, provider, path, kind, receivedAt } = delivery;
      const arrived = arrivals.get(pathKey(provider, path)) ?? {
        provider,
        path,
        deliveries: 0,
        records: 0,
        deletions: 0,
        lastReceivedAt: receivedAt,
      };
      arrivals.set(pathKey(provider, path), arrived);
      arrived.deliveries++;
      arrived.records += items.length;
      arrived.lastReceivedAt = receivedAt;
      for (const item of items) {
        // One literal of fixed shape (no spreads): this loop runs per record and bounds batch
        // throughput.
        const stored: StoredRecord = {
          seq: ++recordSeq,
          receivedAt,
          provider,
          path,
          deliveryId,
          kind,
          key: item.key,
          isDeleted: item.isDeleted,
          record: item.record,
        };
        if (item.rawBody !== undefined) stored.rawBody = item.rawBody;
        records.push(stored);
        if (item.isDeleted) {
          stats.deletions++;
          arrived.deletions++;
        }
        if (item.key !== null) {
          const id = latestKey(provider, item.key);
          // Re-inserting moves the key to the newest end, so trimming drops the keys idle the
          // longest.
          latest.delete(id);
          latest.set(id, stored);
          const perPath = `${pathKey(provider, path)}\u0000${item.key}`;
          latestPerPath.delete(perPath);
          latestPerPath.set(perPath, stored);
        }
      }
      stats.records += items.length;
      trim(latest);
      trim(latestPerPath);
    },

    logDelivery(entry: Omit<DeliveryLogEntry, 'seq'>): DeliveryLogEntry {
      const logged = { seq: ++deliverySeq, ...entry };
      deliveryLog.push(logged);
      stats.deliveries++;
      stats.bytes += entry.bytes;
      if (entry.status !== null)
        stats.byStatus[entry.status] = (stats.byStatus[entry.status] ?? 0) + 1;
      stats.byOutcome[entry.outcome] = (stats.byOutcome[entry.outcome] ?? 0) + 1;
      const counter = OUTCOME_COUNTER[entry.outcome];
      if (counter) stats[counter]++;
      return logged;
    },

    /**
     * Counted here, not from the log's outcome, so a duplicate whose ack is then lost still counts.
     */
    noteDuplicate() {
      stats.duplicates++;
    },

    logRejection(entry: RejectionEntry) {
      rejections.push(entry);
    },

    noteRedirectFollowed() {
      stats.redirectsFollowed++;
    },

    noteAbandonedBody() {
      stats.abandonedBodies++;
    },

    requestStarted() {
      stats.inFlight++;
      stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    },

    requestFinished() {
      stats.inFlight--;
    },

    /**
     * `nextAfter` (ascending) or `nextBefore` (descending) pages on; null when there is nothing
     * more.
     */
    records(query: RecordQuery = {}): {
      records: StoredRecord[];
      nextAfter: number | null;
      nextBefore: number | null;
    } {
      const limit = query.limit ?? 1000;
      const descending = query.order === 'desc';
      let source: Iterable<StoredRecord>;
      if (query.latest) {
        const sorted = [...(query.path === undefined ? latest : latestPerPath).values()].sort(
          (a, b) => a.seq - b.seq,
        );
        source = descending ? sorted.reverse() : sorted;
      } else {
        source = descending ? records.newestFirst() : records;
      }
      const found: StoredRecord[] = [];
      let more = false;
      for (const record of source) {
        if (query.after !== undefined && record.seq <= query.after) continue;
        if (query.before !== undefined && record.seq >= query.before) continue;
        if (query.provider !== undefined && record.provider !== query.provider) continue;
        if (query.path !== undefined && record.path !== query.path) continue;
        if (query.key !== undefined && record.key !== query.key) continue;
        if (found.length === limit) {
          more = true;
          break;
        }
        found.push(record);
      }
      const last = more ? found[found.length - 1]!.seq : null;
      return {
        records: found,
        nextAfter: descending ? null : last,
        nextBefore: descending ? last : null,
      };
    },

    /** The latest version of one record, or undefined if none was received (or it was evicted). */
    latest(provider: string, key: string): StoredRecord | undefined {
      return latest.get(latestKey(provider, key));
    },

    deliveries(query: { limit?: number; deliveryId?: string } = {}): DeliveryLogEntry[] {
      const all = [...deliveryLog].filter(
        (entry) => query.deliveryId === undefined || entry.deliveryId === query.deliveryId,
      );
      return all.slice(-(query.limit ?? 1000));
    },

    /** Per provider (by id), each with its paths (by path). */
    providers(): ProviderSummary[] {
      const keys = new Map<string, { latestKeys: number; deletedKeys: number }>();
      for (const stored of latestPerPath.values()) {
        const counted = keys.get(pathKey(stored.provider, stored.path)) ?? {
          latestKeys: 0,
          deletedKeys: 0,
        };
        counted.latestKeys++;
        if (stored.isDeleted) counted.deletedKeys++;
        keys.set(pathKey(stored.provider, stored.path), counted);
      }
      const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      const summaries = new Map<string, ProviderSummary>();
      for (const [id, { provider, ...arrived }] of [...arrivals.entries()].sort(([a], [b]) =>
        byText(a, b),
      )) {
        const path: PathSummary = {
          ...arrived,
          ...(keys.get(id) ?? { latestKeys: 0, deletedKeys: 0 }),
        };
        const summary = summaries.get(provider) ?? {
          provider,
          deliveries: 0,
          records: 0,
          deletions: 0,
          latestKeys: 0,
          deletedKeys: 0,
          lastReceivedAt: path.lastReceivedAt,
          paths: [],
        };
        summaries.set(provider, summary);
        summary.deliveries += path.deliveries;
        summary.records += path.records;
        summary.deletions += path.deletions;
        summary.latestKeys += path.latestKeys;
        summary.deletedKeys += path.deletedKeys;
        if (path.lastReceivedAt > summary.lastReceivedAt)
          summary.lastReceivedAt = path.lastReceivedAt;
        summary.paths.push(path);
      }
      return [...summaries.values()];
    },

    rejections(query: { limit?: number } = {}): RejectionEntry[] {
      return [...rejections].slice(-(query.limit ?? 1000));
    },

    stats(): ReceiverStats {
      return {
        ...stats,
        byStatus: { ...stats.byStatus },
        byOutcome: { ...stats.byOutcome },
        latestKeys: latest.size,
      };
    },

    reset() {
      records = new Ring(bounds.maxRecords);
      deliveryLog = new Ring(bounds.maxDeliveryLog);
      rejections = new Ring(bounds.maxRejections);
      latest = new Map();
      latestPerPath = new Map();
      delivered = new Set();
      arrivals = new Map();
      // Requests in progress are still in flight; they finish after the reset.
      stats = { ...emptyStats(), inFlight: stats.inFlight, peakInFlight: stats.inFlight };
    },
  };
}

export type ReceiverStore = ReturnType<typeof createReceiverStore>;
