// Seeded pseudo-random numbers: the same seed and stream name always give the same sequence.

/** Mulberry32: tiny, fast and good enough for test data (not for anything secret). */
export class Prng {
  private state: number;

  /**
   * `stream` separates independent sequences (one per table), so adding rows to one table never
   * shifts another.
   */
  constructor(seed: number, stream: string) {
    this.state = mixSeed(seed, stream);
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

// FNV-1a over the stream name, folded with both 32-bit halves of the seed, then one splitmix-style
// avalanche.
function mixSeed(seed: number, stream: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < stream.length; i++) hash = Math.imul(hash ^ stream.charCodeAt(i), 0x01000193);
  hash ^= seed >>> 0;
  hash = Math.imul(hash ^ Math.floor(seed / 4294967296), 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) | 0;
}

/** A weighted choice, with the cumulative weights summed once instead of on every pick. */
export class Weighted<T> {
  private readonly values: T[];
  private readonly bounds: number[];

  /** `items` are [value, weight] pairs. */
  constructor(items: readonly (readonly [T, number])[]) {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let running = 0;
    this.values = items.map(([value]) => value);
    this.bounds = items.map(([, weight]) => (running += weight) / total);
  }

  pick(rng: Prng): T {
    const roll = rng.next();
    const last = this.values.length - 1;
    for (let i = 0; i < last; i++) if (roll < this.bounds[i]!) return this.values[i]!;
    return this.values[last]!;
  }
}
