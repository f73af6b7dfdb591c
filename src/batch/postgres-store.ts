import PgBoss from 'pg-boss';
import { systemClock } from '../clock.ts';
import { _PostgresCompletions } from './_postgres-completions.ts';
import { _PostgresDb, type _Sql } from './_postgres-db.ts';
import {
  _ITEM_COLUMNS,
  _itemFromPgRow,
  _jobIdSql,
  type _PgItemRow,
  type _PgRunRow,
  _postgresSchemaSql,
  _RUN_COLUMNS,
  _runFromPgRow,
} from './_postgres-schema.ts';
import { _newRunId } from './_run-id.ts';
import type { BatchStore, ClaimOptions, CreateRunInput, ListItemsOptions, RequeueOptions } from './store.ts';
import type { BatchClaim, BatchCounts, BatchError, BatchItem, BatchResult, BatchRunInfo } from './types.ts';

export interface OpenPostgresBatchStoreOptions {
  /** `postgres://user:password@host:port/database`; the password never reaches an error. */
  readonly url: string;
  /** Schema of the run and item tables (created if absent); default `passerelle_batch`. */
  readonly schema?: string;
  /** Schema of pg-boss (created and migrated by pg-boss); default `<schema>_pgboss`. */
  readonly bossSchema?: string;
  /** Items written per transaction while a run is created; default 1000. */
  readonly chunkSize?: number;
  /** Connections this process opens at most; default 10. */
  readonly maxConnections?: number;
  /**
   * How often pg-boss's maintenance runs (one worker per interval across all of them): it expires
   * the jobs of lapsed leases, which makes them claimable again. Default 10 s.
   */
  readonly maintenanceIntervalSeconds?: number;
  /** Background errors of the pool or of pg-boss's maintenance; default ignored (the next call reports). */
  readonly onError?: (error: Error) => void;
}

const RUN_ID = /^[A-Za-z0-9._-]{1,64}$/;
const KEY = /^[\x20-\x7e]{1,200}$/;
const SCHEMA = /^[a-z_][a-z0-9_]{0,40}$/;
const NOT_HELD = Symbol('not held');
const MISSING: BatchError = { code: 'ERR_EBOX_INVALID_INPUT', message: 'the row has no publication' };
/** pg-boss never gives up a job by itself (the runner decides dead letters); jobs live ten years. */
const QUEUE_OPTIONS = { retryLimit: 1_000_000_000, retryDelay: 0, retentionMinutes: 10 * 365 * 24 * 60 };

interface CommandResponse {
  readonly affected: number;
}

/** The pg-boss queue of a run. */
export function postgresQueueName(runId: string): string {
  return `batch.${runId}`;
}

function parseLease(lease: string): { jobId: string; claims: number } | undefined {
  const m = /^([0-9a-f-]{36})\.(\d{1,9})$/.exec(lease);
  return m ? { jobId: m[1]!, claims: Number(m[2]) } : undefined;
}

class PostgresBatchStore implements BatchStore {
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
    this.#completions = new _PostgresCompletions(db, boss, schema, bossSchema, postgresQueueName);
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
    return db.withSessionLock(`passerelle-batch-run:${this.#s}:${id}`, () => this.#create(db, id, input));
  }

  async #create(db: _PostgresDb, id: string, input: CreateRunInput): Promise<BatchRunInfo> {
    // A `creating` run is one whose creator was killed: it is created again from scratch.
    const made = await db.sql.query(
      `INSERT INTO ${this.#s}.runs AS r (id, state, meta) VALUES ($1, 'creating', $2::jsonb)
       ON CONFLICT (id) DO UPDATE SET meta = EXCLUDED.meta, created_at = now(), total = 0
       WHERE r.state = 'creating' RETURNING id`,
      [id, JSON.stringify(input.meta ?? {})],
    );
    if (made.length === 0)
      throw new TypeError(`batch store: run ${id} exists (other workers join it by its id)`);
    const queue = postgresQueueName(id);
    let total = 0;
    let invalid = 0;
    try {
      await db.sql.query(`DELETE FROM ${this.#s}.items WHERE run_id = $1`, [id]);
      await this.#boss.deleteQueue(queue);
      await this.#boss.createQueue(queue, { name: queue, ...QUEUE_OPTIONS });
      let chunk: object[] = [];
      for await (const spec of input.items) {
        if (!KEY.test(spec.key)) throw new TypeError(`batch store: invalid item key at line ${spec.line}`);
        const bad = spec.error !== undefined || spec.publication === undefined;
        if (bad) invalid++;
        chunk.push({
          seq: ++total,
          key: spec.key,
          line: spec.line,
          recipient: spec.recipient,
          state: bad ? 'invalid' : 'queued',
          publication: spec.publication ?? null,
          error: spec.error ?? (bad ? MISSING : null),
        });
        if (chunk.length >= this.#chunkSize) {
          await this.#writeChunk(id, queue, chunk);
          chunk = [];
        }
      }
      if (chunk.length > 0) await this.#writeChunk(id, queue, chunk);
    } catch (error) {
      await db.sql.query(`DELETE FROM ${this.#s}.runs WHERE id = $1`, [id]).catch(() => {});
      await this.#boss.deleteQueue(queue).catch(() => {});
      if ((error as { code?: unknown }).code === '23505')
        throw new TypeError(`batch store: an item key is repeated in run ${id}`);
      throw error;
    }
    const state = input.rejectIfInvalid === true && invalid > 0 ? 'rejected' : 'open';
    const [row] = await db.sql.query<_PgRunRow>(
      `UPDATE ${this.#s}.runs SET state = $2, total = $3 WHERE id = $1 RETURNING ${_RUN_COLUMNS}`,
      [id, state, total],
    );
    return _runFromPgRow(row!);
  }

  /** One transaction: the chunk's rows, then one pg-boss job per queued item (same connection). */
  async #writeChunk(runId: string, queue: string, chunk: object[]): Promise<void> {
    await this.#db.tx(async (sql) => {
      const rows = await sql.query<{ seq: number; job_id: string | null }>(
        `INSERT INTO ${this.#s}.items (run_id, seq, key, line, recipient, state, publication, error, jobs, job_id)
         SELECT $1, x.seq, x.key, x.line, x.recipient, x.state, x.publication, x.error,
           CASE WHEN x.state = 'queued' THEN 1 ELSE 0 END,
           CASE WHEN x.state = 'queued' THEN md5($1::text || '/' || x.key || '/1')::uuid END
         FROM jsonb_to_recordset($2::jsonb) AS x(seq integer, key text, line integer, recipient text,
           state text, publication jsonb, error jsonb)
         RETURNING seq, job_id`,
        [runId, JSON.stringify(chunk)],
      );
      await this.#enqueue(sql, queue, rows);
    });
  }

  async #enqueue(
    sql: _Sql,
    queue: string,
    rows: { seq: number; job_id: string | null }[],
    startAfter?: string,
  ) {
    const jobs = rows
      .filter((r) => r.job_id !== null)
      .map((r) => ({
        id: r.job_id!,
        name: queue,
        data: { seq: r.seq },
        priority: -r.seq,
        ...(startAfter === undefined ? {} : { startAfter }),
      }));
    if (jobs.length > 0) await this.#boss.insert(jobs, { db: sql.boss });
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
    const queue = postgresQueueName(runId);
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
    const queue = postgresQueueName(claim.item.runId);
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
      (sql, queue, row) => this.#enqueue(sql, queue, [row], new Date(notBefore).toISOString()),
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
    const queue = postgresQueueName(runId);
    return this.#live().tx(async (sql) => {
      const rows = await sql.query<{ seq: number; job_id: string }>(
        `UPDATE ${this.#s}.items SET state = 'queued', not_before = NULL, finished_at = NULL,
           updated_at = now(), jobs = jobs + 1, job_id = ${_jobIdSql('jobs + 1')}
         WHERE run_id = $1 AND state = 'failed' AND ($2::text[] IS NULL OR error->>'code' = ANY($2::text[]))
         RETURNING seq, job_id`,
        [runId, codes],
      );
      for (let i = 0; i < rows.length; i += this.#chunkSize)
        await this.#enqueue(sql, queue, rows.slice(i, i + this.#chunkSize));
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
    await this.#boss.stop({ graceful: false, close: false, wait: true });
    await this.#db.pool.end();
  }
}

/**
 * Opens the batch store on PostgreSQL through pg-boss: N worker processes, on as many machines,
 * open it with the same URL and share a run — one creates it (`createRun`), the others claim from
 * it by its id. No distribution layer of our own:
 *
 * - a run is a pg-boss queue (`batch.<run id>`), each queued item one job whose id derives from the
 *   run, the item's key and a generation count, so enqueueing an item twice never makes two jobs;
 * - `claim` is pg-boss's `fetch` (batch size = limit; SKIP LOCKED, so two workers never get the
 *   same job), with the job's expiration set to the lease; a worker killed mid-item leaves an
 *   active job that pg-boss's maintenance expires and retries, i.e. the item is claimable again;
 * - `complete` completes the job, `deadLetter` cancels it, `release` fails it (pg-boss retries it
 *   at once), `retryLater` and `requeueFailed` enqueue a successor job (`startAfter` = not-before);
 * - each transition runs in one transaction with pg-boss's command on the same connection, and
 *   the outcome (result, coded error, attempts, times) is kept in this store's `items` table
 *   (schema `passerelle_batch`), where `counts`, `items` and reports read it with plain SQL.
 *
 * Times are the database's. Lease expiry is noticed at pg-boss's next maintenance
 * (`maintenanceIntervalSeconds`). An unreachable server is ERR_TRANSPORT_CONNECT (host, port and
 * database named, never the password); a bad URL or option is a TypeError.
 */
export async function openPostgresBatchStore(options: OpenPostgresBatchStoreOptions): Promise<BatchStore> {
  const {
    url,
    schema = 'passerelle_batch',
    bossSchema = `${schema}_pgboss`,
    chunkSize = 1000,
    maxConnections = 10,
    maintenanceIntervalSeconds = 10,
    onError = () => {},
  } = options;
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url))
    throw new TypeError('openPostgresBatchStore: url must be postgres://… or postgresql://…');
  if (!SCHEMA.test(schema) || !SCHEMA.test(bossSchema))
    throw new TypeError(
      'openPostgresBatchStore: a schema is 1 to 41 of [a-z0-9_], not starting with a digit',
    );
  if (!Number.isInteger(chunkSize) || chunkSize < 1)
    throw new TypeError('openPostgresBatchStore: chunkSize ≥ 1');
  if (!Number.isInteger(maxConnections) || maxConnections < 2)
    throw new TypeError('openPostgresBatchStore: maxConnections ≥ 2');
  if (!Number.isInteger(maintenanceIntervalSeconds) || maintenanceIntervalSeconds < 1)
    throw new TypeError('openPostgresBatchStore: maintenanceIntervalSeconds is a whole number ≥ 1');
  const db = new _PostgresDb(url, maxConnections, onError);
  try {
    await db.ping(url);
    const boss = new PgBoss({
      db: db.sql.boss,
      schema: bossSchema,
      supervise: true,
      schedule: false,
      migrate: true,
      maintenanceIntervalSeconds,
    });
    boss.on('error', onError);
    // Workers starting together: one creates the tables and pg-boss's schema, the others wait for
    // it and find them (pg-boss's own creation is not safe against a concurrent one).
    await db.withSessionLock(`passerelle-batch-init:${schema}:${bossSchema}`, async () => {
      await db.sql.query(_postgresSchemaSql(schema));
      await boss.start();
    });
    return new PostgresBatchStore(db, boss, schema, bossSchema, chunkSize);
  } catch (error) {
    await db.pool.end().catch(() => {});
    throw error;
  }
}
