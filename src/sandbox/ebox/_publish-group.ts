import { open } from 'node:fs/promises';
import type Database from 'better-sqlite3';

interface Pending {
  readonly apply: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit of the eBox store's publications: the ones asked while the previous group was
 * being written are written together — one fsync of the documents directory (their files are
 * renamed into it before they are asked), then one transaction (one fsync of the WAL, which
 * synchronous=FULL makes blocking) in which each publication is its own savepoint, so one that
 * throws (a duplicate) is rolled back alone and rejected while the others commit. Each promise
 * settles only once its group has committed: stored durably before it is answered. Under load
 * (many requests at once) this turns one blocking fsync per document into one per group.
 */
export class _PublishGroup {
  readonly #db: Database.Database;
  readonly #dir: string;
  #pending: Pending[] = [];
  #busy = false;

  constructor(db: Database.Database, dir: string) {
    this.#db = db;
    this.#dir = dir;
  }

  /** Runs `apply` (synchronous database writes) in the next group; resolves once committed. */
  run<T>(apply: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ apply, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#busy) {
        this.#busy = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    const group = this.#pending;
    this.#pending = [];
    try {
      // The renames of every file of the group are durable before a row names them.
      const dir = await open(this.#dir, 'r');
      await dir.sync().finally(() => dir.close());
    } catch (error) {
      for (const p of group) p.reject(error);
      return this.#next();
    }
    const db = this.#db;
    let outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[];
    try {
      outcomes = db.transaction(() =>
        group.map((p) => {
          try {
            // Nested: a savepoint, rolled back alone when this publication throws.
            return { ok: true as const, value: db.transaction(p.apply)() };
          } catch (error) {
            return { ok: false as const, error };
          }
        }),
      )();
    } catch (error) {
      for (const p of group) p.reject(error);
      return this.#next();
    }
    for (const [i, p] of group.entries()) {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    }
    this.#next();
  }

  #next(): void {
    if (this.#pending.length === 0) this.#busy = false;
    else setImmediate(() => void this.#flush());
  }
}
