import type Database from 'better-sqlite3';

interface Pending {
  readonly apply: () => boolean;
  readonly resolve: (value: boolean) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: the transitions asked within one turn of the event loop are written in one
 * transaction, so one fsync (synchronous=FULL) covers them all. Each promise resolves only once
 * its transaction has committed: durable when resolved, as the store's contract says. A failed
 * transaction rejects every promise of its group.
 *
 * The commit's fsync blocks the event loop (better-sqlite3 is synchronous), so a group is not
 * written sooner after the previous one than that one took: the loop spends at most half its
 * time in commits, and under load the groups grow instead of the fsyncs multiplying. A fast
 * commit (no fsync: `:memory:`, a cached disk) leaves the next one on the next turn.
 */
export class _GroupCommit {
  readonly #db: Database.Database;
  #pending: Pending[] = [];
  #scheduled: NodeJS.Immediate | NodeJS.Timeout | undefined;
  /** When the last commit ended and how long it took (monotonic ms, not the injected clock). */
  #lastEnd = 0;
  #lastMs = 0;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  run(apply: () => boolean): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ apply, resolve, reject });
      if (this.#scheduled === undefined) {
        const wait = this.#lastEnd + this.#lastMs - performance.now();
        this.#scheduled = wait >= 1 ? setTimeout(() => this.flush(), wait) : setImmediate(() => this.flush());
      }
    });
  }

  /** Writes what is pending now (also called before the database closes). */
  flush(): void {
    if (this.#scheduled !== undefined) {
      if ('hasRef' in this.#scheduled && 'refresh' in this.#scheduled) clearTimeout(this.#scheduled);
      else clearImmediate(this.#scheduled);
      this.#scheduled = undefined;
    }
    const group = this.#pending;
    this.#pending = [];
    if (group.length === 0) return;
    const started = performance.now();
    let results: boolean[];
    try {
      results = this.#db.transaction(() => group.map((p) => p.apply())).immediate();
    } catch (error) {
      for (const p of group) p.reject(error);
      return;
    } finally {
      this.#lastEnd = performance.now();
      this.#lastMs = this.#lastEnd - started;
    }
    for (const [i, p] of group.entries()) p.resolve(results[i]!);
  }
}
