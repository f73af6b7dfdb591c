/**
 * Remembers signatures already accepted, until their timestamp expires. `verifyEnvelope`
 * calls `remember` only after every other check passed; it returns false for a replay.
 */
export interface ReplayCache {
  /**
   * Records `key` until `expiresAt` (ms since the epoch) and returns true, or returns false
   * when `key` is already recorded and not expired at `now`.
   */
  remember(key: string, expiresAt: number, now: number): boolean;
}

export interface MemoryReplayCacheOptions {
  /** Upper bound on remembered entries. Default 100,000. */
  readonly maxEntries?: number;
}

/**
 * An in-memory, bounded ReplayCache for one process. Expired entries are dropped as time
 * passes. When the bound is reached with entries still live, the oldest recorded is evicted
 * first: with a 5-minute timestamp lifetime, a replay then needs more than `maxEntries`
 * accepted messages in those 5 minutes. Size it above your peak rate × lifetime (+ skew);
 * use a shared store behind this interface when several processes verify.
 */
export class MemoryReplayCache implements ReplayCache {
  readonly #entries = new Map<string, number>();
  readonly #max: number;

  constructor(options: MemoryReplayCacheOptions = {}) {
    const { maxEntries = 100_000 } = options;
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new TypeError('MemoryReplayCache: maxEntries must be a positive integer');
    this.#max = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  remember(key: string, expiresAt: number, now: number): boolean {
    const seen = this.#entries.get(key);
    if (seen !== undefined && seen > now) return false;
    if (seen !== undefined) this.#entries.delete(key);
    if (this.#entries.size >= this.#max) this.#prune(now);
    this.#entries.set(key, expiresAt);
    return true;
  }

  #prune(now: number): void {
    for (const [k, exp] of this.#entries) if (exp <= now) this.#entries.delete(k);
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
