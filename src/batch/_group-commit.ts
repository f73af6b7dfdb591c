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
 */
export class _GroupCommit {
  readonly #db: Database.Database;
  #pending: Pending[] = [];
  #scheduled = false;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  run(apply: () => boolean): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ apply, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes what is pending now (also called before the database closes). */
  flush(): void {
    this.#scheduled = false;
    const group = this.#pending;
    this.#pending = [];
    if (group.length === 0) return;
    let results: boolean[];
    try {
      results = this.#db.transaction(() => group.map((p) => p.apply())).immediate();
    } catch (error) {
      for (const p of group) p.reject(error);
      return;
    }
    for (const [i, p] of group.entries()) p.resolve(results[i]!);
  }
}
