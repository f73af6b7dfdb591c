import type PgBoss from 'pg-boss';
import type { _PostgresDb } from './_postgres-db.ts';
import type { BatchClaim, BatchResult } from './types.ts';

interface Pending {
  readonly runId: string;
  readonly key: string;
  readonly jobId: string;
  readonly claims: number;
  readonly result: string;
  readonly resolve: (held: boolean) => void;
  readonly reject: (error: unknown) => void;
}

interface CommandResponse {
  readonly affected: number;
}

/**
 * Group commit of `complete`, the hot transition: the completions asked during one event-loop
 * turn share one transaction per run — the jobs locked in id order (the order a claim's fetch and
 * every other transition take: job, then item), the items still held marked done in one
 * statement, their jobs completed in one pg-boss call (a job whose lease lapsed and that pg-boss
 * put back is cancelled instead). Each caller learns whether its claim still held the item.
 */
export class _PostgresCompletions {
  readonly #db: _PostgresDb;
  readonly #boss: PgBoss;
  readonly #items: string;
  readonly #job: string;
  readonly #queueOf: (runId: string) => string;
  #pending: Pending[] = [];
  #scheduled: Promise<void> | undefined;
  readonly #committing = new Set<Promise<unknown>>();

  constructor(
    db: _PostgresDb,
    boss: PgBoss,
    schema: string,
    bossSchema: string,
    queueOf: (runId: string) => string,
  ) {
    this.#db = db;
    this.#boss = boss;
    this.#items = `${schema}.items`;
    this.#job = `${bossSchema}.job`;
    this.#queueOf = queueOf;
  }

  add(claim: BatchClaim, lease: { jobId: string; claims: number }, result: BatchResult): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (this.#pending.length === 0)
        this.#scheduled = new Promise((done) =>
          setImmediate(() => {
            this.#flush();
            done();
          }),
        );
      this.#pending.push({
        runId: claim.item.runId,
        key: claim.item.key,
        ...lease,
        result: JSON.stringify(result),
        resolve,
        reject,
      });
    });
  }

  /** Resolves once every completion asked so far is committed (or has failed): before closing. */
  async drain(): Promise<void> {
    await this.#scheduled;
    await Promise.all(this.#committing);
  }

  #flush(): void {
    const pending = this.#pending;
    this.#pending = [];
    const byRun = new Map<string, Pending[]>();
    for (const p of pending) byRun.set(p.runId, [...(byRun.get(p.runId) ?? []), p]);
    for (const [runId, group] of byRun) {
      const committing = this.#commit(runId, group).then(
        (held) => {
          for (const p of group) p.resolve(held.has(p.key));
        },
        (error) => {
          for (const p of group) p.reject(error);
        },
      );
      this.#committing.add(committing);
      void committing.finally(() => this.#committing.delete(committing));
    }
  }

  async #commit(runId: string, group: Pending[]): Promise<Set<string>> {
    const queue = this.#queueOf(runId);
    return this.#db.tx(async (sql) => {
      const ids = [...new Set(group.map((p) => p.jobId))].sort();
      await sql.query(
        `SELECT 1 FROM ${this.#job} WHERE name = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
        [queue, ids],
      );
      const rows = await sql.query<{ key: string; job_id: string }>(
        `UPDATE ${this.#items} AS i SET state = 'done', finished_at = now(), result = u.result, error = NULL,
           lease_expires_at = NULL, updated_at = now()
         FROM unnest($2::text[], $3::uuid[], $4::integer[], $5::jsonb[]) AS u(ukey, ujob, uclaims, result)
         WHERE i.run_id = $1 AND i.key = u.ukey AND i.job_id = u.ujob AND i.claims = u.uclaims
           AND i.state = 'in-flight'
         RETURNING i.key, i.job_id`,
        [
          runId,
          group.map((p) => p.key),
          group.map((p) => p.jobId),
          group.map((p) => p.claims),
          group.map((p) => p.result),
        ],
      );
      if (rows.length > 0) {
        const held = rows.map((r) => r.job_id);
        // complete(name, ids, data, options): the typings' (name, ids, options) overload would
        // take the options for the job's output and run outside this transaction.
        const complete = this.#boss.complete.bind(this.#boss) as unknown as (
          name: string,
          ids: string[],
          data: object,
          options: { db: PgBoss.Db },
        ) => Promise<CommandResponse>;
        const done = await complete(queue, held, { outcome: 'done' }, { db: sql.boss });
        if (done.affected < held.length) await this.#boss.cancel(queue, held, { db: sql.boss });
      }
      return new Set(rows.map((r) => r.key));
    });
  }
}
