import type PgBoss from 'pg-boss';
import { systemClock } from '../clock.ts';
import { _PostgresCompletions } from './_postgres-completions.ts';
import { _createPostgresRun, _enqueue } from './_postgres-create-run.ts';
import type { _PostgresDb, _Sql } from './_postgres-db.ts';
import {
  _ITEM_COLUMNS,
  _itemFromPgRow,
  _jobIdSql,
  type _PgItemRow,
  type _PgRunRow,
  _queueName,
  _RUN_COLUMNS,
  _runFromPgRow,
} from './_postgres-schema.ts';
import { _newRunId } from './_run-id.ts';
import type { BatchStore, ClaimOptions, CreateRunInput, ListItemsOptions, RequeueOptions } from './store.ts';
import type { BatchClaim, BatchCounts, BatchError, BatchItem, BatchResult, BatchRunInfo } from './types.ts';

const RUN_ID = /^[A-Za-z0-9._-]{1,64}$/;
const NOT_HELD = Symbol('not held');

interface CommandResponse {
  readonly affected: number;
}

function parseLease(lease: string): { jobId: string; claims: number } | undefined {
  const m = /^([0-9a-f-]{36})\.(\d{1,9})$/.exec(lease);
  return m ? { jobId: m[1]!, claims: Number(m[2]) } : undefined;
}

/** The BatchStore on pg-boss; see openPostgresBatchStore (postgres-store.ts). */
export class _PostgresBatchStore implements BatchStore {
  readonly #db: _PostgresDb;
  readonly #boss: PgBoss;
  readonly #s: string;
  readonly #job: string;
  readonly #chunkSize: number;
  readonly #open = new Set<string>();
  readonly #completions: _PostgresCompletions;
  #closed = false;

  constructor(db: _PostgresDb, boss: PgBoss, schema: string, bossSchema: string, chunkSize: number) {
    this.#db = db;
    this.#boss = boss;
    this.#s = schema;
    this.#job = `${bossSchema}.job`;
    this.#chunkSize = chunkSize;
    this.#completions = new _PostgresCompletions(db, boss, schema, bossSchema, _queueName);
  }

  #live(): _PostgresDb {
    if (this.#closed) throw new TypeError('batch store: the store is closed');
    return this.#db;
  }

  async createRun(input: CreateRunInput): Promise<BatchRunInfo> {
    const db = this.#live();
    const id = input.id ?? _newRunId(systemClock);
    if (!RUN_ID.test(id)) throw new TypeError('batch store: a run id is 1 to 64 of [A-Za-z0-9._-]');
    // Workers starting together on one id: the creator holds a session lock on its own connection
    // until the run is open, so another waits, then finds it open (TypeError: join it). A creator
    // killed mid-way loses its connection, hence the lock, and the next one redoes the creation.
    const ctx = { db, boss: this.#boss, schema: this.#s, chunkSize: this.#chunkSize };
    return db.withSessionLock(`passerelle-batch-run:${this.#s}:${id}`, () =>
      _createPostgresRun(ctx, id, _queueName(id), input),
    );
  }

  async getRun(runId: string): Promise<BatchRunInfo | undefined> {
    const [row] = await this.#live().sql.query<_PgRunRow>(
      `SELECT ${_RUN_COLUMNS} FROM ${this.#s}.runs WHERE id = $1`,
      [runId],
    );
    return row === undefined ? undefined : _runFromPgRow(row);
  }

  async listRuns(): Promise<BatchRunInfo[]> {
    const rows = await this.#live().sql.query<_PgRunRow>(
      `SELECT ${_RUN_COLUMNS} FROM ${this.#s}.runs ORDER BY created_at DESC, id DESC`,
    );
    return rows.map(_runFromPgRow);
  }

  async claim(runId: string, options: ClaimOptions): Promise<BatchClaim[]> {
    const db = this.#live();
    const { limit, leaseMs } = options;
    if (!Number.isInteger(limit) || limit < 1)
      throw new TypeError('batch store: limit must be an integer ≥ 1');
    if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new TypeError('batch store: leaseMs must be > 0');
    if (!this.#open.has(runId)) {
      if ((await this.getRun(runId))?.state !== 'open') return [];
      this.#open.add(runId);
    }
    const queue = _queueName(runId);
    const claimed = await db.tx(async (sql) => {
      const jobs = await this.#boss.fetch<{ seq: number }>(queue, { batchSize: limit, db: sql.boss });
      if (jobs.length === 0) return [];
      const ids = jobs.map((j) => j.id);
      // The lease is the job's expiration, from this claim's start (pg-boss's started_on).
      await sql.query(
        `UPDATE ${this.#job} SET expire_in = $3 * interval '1 millisecond' WHERE name = $1 AND id = ANY($2::uuid[])`,
        [queue, ids, Math.ceil(leaseMs)],
      );
      const rows = await sql.query<_PgItemRow>(
        `UPDATE ${this.#s}.items AS i SET state = 'in-flight', attempts = attempts + 1, claims = claims + 1,
           lease_expires_at = now() + $4 * interval '1 millisecond', not_before = NULL, updated_at = now()
         FROM unnest($2::integer[], $3::uuid[]) AS j(jseq, jid)
         WHERE i.run_id = $1 AND i.seq = j.jseq AND i.job_id = j.jid AND i.state IN ('queued', 'in-flight')
         RETURNING ${_ITEM_COLUMNS}`,
        [runId, jobs.map((j) => j.data.seq), ids, Math.ceil(leaseMs)],
      );
      // A job no item points to any more (cannot happen through this store) must not loop.
      const held = new Set(rows.map((r) => r.job_id));
      const orphans = ids.filter((i) => !held.has(i));
      if (orphans.length > 0) await this.#boss.cancel(queue, orphans, { db: sql.boss });
      return rows;
    });
    return claimed
      .sort((a, b) => a.seq - b.seq)
      .map((row) => ({ item: _itemFromPgRow(row), lease: `${row.job_id}.${row.claims}` }));
  }

  /**
   * One transition, in one transaction: pg-boss's command on the claimed job first (it locks the
   * job row, in the same order as a claim: job, then item), then the item, only if the claim still
   * holds it; otherwise everything is rolled back and the answer is false.
   */
  async #transition(
    claim: BatchClaim,
    onJob: (sql: _Sql, queue: string, jobId: string) => Promise<unknown>,
    set: string,
    values: unknown[],
    after?: (sql: _Sql, queue: string, row: { seq: number; job_id: string }) => Promise<void>,
  ): Promise<boolean> {
    const db = this.#live();
    const lease = parseLease(claim.lease);
    if (lease === undefined) return false;
    const queue = _queueName(claim.item.runId);
    try {
      return await db.tx(async (sql) => {
        await onJob(sql, queue, lease.jobId);
        const [row] = await sql.query<{ seq: number; job_id: string }>(
          `UPDATE ${this.#s}.items SET ${set}, lease_expires_at = NULL, updated_at = now()
           WHERE run_id = $1 AND key = $2 AND job_id = $3 AND claims = $4 AND state = 'in-flight'
           RETURNING seq, job_id`,
          [claim.item.runId, claim.item.key, lease.jobId, lease.claims, ...values],
        );
        if (row === undefined) throw NOT_HELD;
        if (after) await after(sql, queue, row);
        return true;
      });
    } catch (error) {
      if (error === NOT_HELD) return false;
      throw error;
    }
  }

  /** Ends the claimed job: completed; if its lease already expired (pg-boss put it back), cancelled. */
  async #endJob(sql: _Sql, queue: string, jobId: string, outcome: string): Promise<void> {
    const done = (await this.#boss.complete(queue, jobId, { outcome }, { db: sql.boss })) as unknown;
    if ((done as CommandResponse).affected === 0) await this.#boss.cancel(queue, jobId, { db: sql.boss });
  }

  async complete(claim: BatchClaim, result: BatchResult): Promise<boolean> {
    this.#live();
    const lease = parseLease(claim.lease);
    if (lease === undefined) return false;
    return this.#completions.add(claim, lease, result);
  }

  async retryLater(claim: BatchClaim, notBefore: number, error: BatchError): Promise<boolean> {
    if (!Number.isFinite(notBefore)) throw new TypeError('batch store: notBefore must be a time in ms');
    return this.#transition(
      claim,
      (sql, queue, jobId) => this.#endJob(sql, queue, jobId, 'retry-later'),
      `state = 'queued', not_before = to_timestamp($5::float8 / 1000), error = $6::jsonb,
       jobs = jobs + 1, job_id = ${_jobIdSql('jobs + 1')}`,
      [notBefore, JSON.stringify(error)],
      (sql, queue, row) => _enqueue(this.#boss, sql, queue, [row], new Date(notBefore).toISOString()),
    );
  }

  async deadLetter(claim: BatchClaim, error: BatchError): Promise<boolean> {
    return this.#transition(
      claim,
      (sql, queue, jobId) => this.#boss.cancel(queue, jobId, { db: sql.boss }),
      "state = 'failed', finished_at = now(), error = $5::jsonb",
      [JSON.stringify(error)],
    );
  }

  async release(claim: BatchClaim): Promise<boolean> {
    return this.#transition(
      claim,
      // pg-boss's own retry: the job is due again at once (retry delay 0), same id.
      (sql, queue, jobId) => this.#boss.fail(queue, jobId, { outcome: 'released' }, { db: sql.boss }),
      "state = 'queued', attempts = greatest(attempts - 1, 0), not_before = NULL",
      [],
    );
  }

  async requeueFailed(runId: string, options: RequeueOptions = {}): Promise<number> {
    const codes = options.codes === undefined ? null : [...options.codes];
    const queue = _queueName(runId);
    return this.#live().tx(async (sql) => {
      const rows = await sql.query<{ seq: number; job_id: string }>(
        `UPDATE ${this.#s}.items SET state = 'queued', not_before = NULL, finished_at = NULL,
           updated_at = now(), jobs = jobs + 1, job_id = ${_jobIdSql('jobs + 1')}
         WHERE run_id = $1 AND state = 'failed' AND ($2::text[] IS NULL OR error->>'code' = ANY($2::text[]))
         RETURNING seq, job_id`,
        [runId, codes],
      );
      for (let i = 0; i < rows.length; i += this.#chunkSize)
        await _enqueue(this.#boss, sql, queue, rows.slice(i, i + this.#chunkSize));
      return rows.length;
    });
  }

  async counts(runId: string): Promise<BatchCounts> {
    const rows = await this.#live().sql.query<{ state: string; n: number; retried: number }>(
      `SELECT state, count(*)::integer AS n, (count(*) FILTER (WHERE attempts > 0))::integer AS retried
       FROM ${this.#s}.items WHERE run_id = $1 GROUP BY state`,
      [runId],
    );
    const by = new Map(rows.map((r) => [r.state, r]));
    const get = (s: string) => by.get(s)?.n ?? 0;
    return {
      total: rows.reduce((sum, r) => sum + r.n, 0),
      queued: get('queued'),
      inFlight: get('in-flight'),
      done: get('done'),
      failed: get('failed'),
      invalid: get('invalid'),
      retrying: by.get('queued')?.retried ?? 0,
    };
  }

  async *items(runId: string, options: ListItemsOptions = {}): AsyncIterable<BatchItem> {
    const { states, pageSize = 500 } = options;
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new TypeError('batch store: pageSize must be ≥ 1');
    const filter = states === undefined || states.length === 0 ? null : [...states];
    let after = 0;
    for (;;) {
      const rows = await this.#live().sql.query<_PgItemRow>(
        `SELECT ${_ITEM_COLUMNS} FROM ${this.#s}.items
         WHERE run_id = $1 AND seq > $2 AND ($3::text[] IS NULL OR state = ANY($3::text[]))
         ORDER BY seq LIMIT $4`,
        [runId, after, filter, pageSize],
      );
      for (const row of rows) yield _itemFromPgRow(row);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#completions.drain();
    await this.#boss.stop({ graceful: false, close: false, wait: true });
    await this.#db.pool.end();
  }
}
