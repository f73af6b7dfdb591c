import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Clock, systemClock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { _isDeadLocalOwner, _localOwner } from './_dead-owner.ts';
import { _GroupCommit } from './_group-commit.ts';
import { _newRunId } from './_run-id.ts';
import { _sqliteCreateRun } from './_sqlite-create-run.ts';
import { _itemFromRow, _runFromRow } from './_sqlite-rows.ts';
import { type _ItemRow, type _RunRow, _SCHEMA } from './_sqlite-schema.ts';
import type { BatchStore, ClaimOptions, CreateRunInput, ListItemsOptions, RequeueOptions } from './store.ts';
import type { BatchClaim, BatchCounts, BatchError, BatchItem, BatchResult, BatchRunInfo } from './types.ts';

export interface OpenSqliteBatchStoreOptions {
  /** The state file (created with its directory); `:memory:` for a throwaway store. */
  readonly path: string;
  /** Lease and not-before times; default the system clock. */
  readonly clock?: Clock;
  /** Items written per transaction while a run is created; default 1000. */
  readonly chunkSize?: number;
  /**
   * Claim at once, without waiting for their lease to end, the in-flight items whose owner
   * (`<host>:<pid>`, the default owner) is a process of this host that no longer exists — a
   * killed runner's items, so that a resume right after a crash does not wait. Turn off when the
   * state file is shared by hosts of the same name (containers on one volume); default true.
   */
  readonly reclaimDeadOwners?: boolean;
}

class SqliteBatchStore implements BatchStore {
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #chunkSize: number;
  readonly #reclaimDeadOwners: boolean;
  readonly #group: _GroupCommit;
  readonly #statements = new Map<string, Database.Statement>();
  #closed = false;

  constructor(db: Database.Database, clock: Clock, chunkSize: number, reclaimDeadOwners: boolean) {
    this.#db = db;
    this.#reclaimDeadOwners = reclaimDeadOwners;
    this.#clock = clock;
    this.#chunkSize = chunkSize;
    this.#group = new _GroupCommit(db);
  }

  #open(): Database.Database {
    if (this.#closed) throw new TypeError('batch store: the store is closed');
    return this.#db;
  }

  async createRun(input: CreateRunInput): Promise<BatchRunInfo> {
    const db = this.#open();
    const id = input.id ?? _newRunId(this.#clock);
    await _sqliteCreateRun(db, input, id, this.#clock.now(), this.#chunkSize);
    return (await this.getRun(id))!;
  }

  async getRun(runId: string): Promise<BatchRunInfo | undefined> {
    const row = this.#open().prepare('SELECT * FROM batch_runs WHERE id = ?').get(runId) as
      | _RunRow
      | undefined;
    return row === undefined ? undefined : _runFromRow(row);
  }

  async listRuns(): Promise<BatchRunInfo[]> {
    const rows = this.#open()
      .prepare('SELECT * FROM batch_runs ORDER BY created_at DESC, id DESC')
      .all() as _RunRow[];
    return rows.map(_runFromRow);
  }

  async claim(runId: string, options: ClaimOptions): Promise<BatchClaim[]> {
    const db = this.#open();
    const { limit, leaseMs } = options;
    if (!Number.isInteger(limit) || limit < 1)
      throw new TypeError('batch store: limit must be an integer ≥ 1');
    if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new TypeError('batch store: leaseMs must be > 0');
    return db
      .transaction((): BatchClaim[] => {
        const run = db.prepare('SELECT state FROM batch_runs WHERE id = ?').get(runId) as
          | { state: string }
          | undefined;
        if (run?.state !== 'open') return [];
        const now = this.#clock.now();
        if (this.#reclaimDeadOwners) this.#voidDeadOwners(runId, now);
        const due = db
          .prepare(
            `SELECT seq FROM batch_items WHERE run_id = ? AND claimable_at IS NOT NULL AND claimable_at <= ?
           ORDER BY claimable_at, seq LIMIT ?`,
          )
          .all(runId, now, limit) as { seq: number }[];
        const base = randomBytes(9).toString('base64url');
        const take = db.prepare(
          `UPDATE batch_items SET state = 'in-flight', attempts = attempts + 1, lease = ?, owner = ?,
           lease_expires_at = ?, claimable_at = ?, not_before = NULL, updated_at = ?
         WHERE seq = ? RETURNING *`,
        );
        const owner = options.owner ?? _localOwner();
        return due.map((row, i) => {
          const lease = `${base}.${i}`;
          const taken = take.get(lease, owner, now + leaseMs, now + leaseMs, now, row.seq) as _ItemRow;
          return { item: _itemFromRow(taken), lease };
        });
      })
      .immediate();
  }

  /** In-flight items of a process of this host that is gone: due now, not when their lease ends. */
  #voidDeadOwners(runId: string, now: number): void {
    const owners = this.#db
      .prepare(
        `SELECT DISTINCT owner FROM batch_items
         WHERE run_id = ? AND state = 'in-flight' AND owner IS NOT NULL AND claimable_at > ?`,
      )
      .all(runId, now) as { owner: string }[];
    for (const { owner } of owners)
      if (_isDeadLocalOwner(owner))
        this.#db
          .prepare(
            `UPDATE batch_items SET claimable_at = ? WHERE run_id = ? AND state = 'in-flight' AND owner = ?`,
          )
          .run(now, runId, owner);
  }

  #transition(claim: BatchClaim, set: string, ...values: unknown[]): Promise<boolean> {
    const db = this.#open();
    let statement = this.#statements.get(set);
    if (statement === undefined) {
      statement = db.prepare(
        `UPDATE batch_items SET ${set}, lease = NULL, owner = NULL, lease_expires_at = NULL, updated_at = ?
         WHERE run_id = ? AND key = ? AND lease = ? AND state = 'in-flight'`,
      );
      this.#statements.set(set, statement);
    }
    const update = statement;
    const now = this.#clock.now();
    const { runId, key } = claim.item;
    return this.#group.run(() => update.run(...values, now, runId, key, claim.lease).changes === 1);
  }

  async complete(claim: BatchClaim, result: BatchResult): Promise<boolean> {
    const now = this.#clock.now();
    return this.#transition(
      claim,
      "state = 'done', claimable_at = NULL, finished_at = ?, result = ?, error = NULL",
      now,
      JSON.stringify(result),
    );
  }

  async retryLater(claim: BatchClaim, notBefore: number, error: BatchError): Promise<boolean> {
    if (!Number.isFinite(notBefore)) throw new TypeError('batch store: notBefore must be a time in ms');
    return this.#transition(
      claim,
      "state = 'queued', claimable_at = ?, not_before = ?, error = ?",
      notBefore,
      notBefore,
      JSON.stringify(error),
    );
  }

  async deadLetter(claim: BatchClaim, error: BatchError): Promise<boolean> {
    return this.#transition(
      claim,
      "state = 'failed', claimable_at = NULL, finished_at = ?, error = ?",
      this.#clock.now(),
      JSON.stringify(error),
    );
  }

  async release(claim: BatchClaim): Promise<boolean> {
    return this.#transition(
      claim,
      "state = 'queued', claimable_at = COALESCE(not_before, 0), attempts = MAX(attempts - 1, 0)",
    );
  }

  async requeueFailed(runId: string, options: RequeueOptions = {}): Promise<number> {
    const db = this.#open();
    const { codes } = options;
    const filter =
      codes === undefined
        ? ''
        : ` AND json_extract(error, '$.code') IN (${codes.map(() => '?').join(', ') || 'NULL'})`;
    const info = db
      .prepare(
        `UPDATE batch_items SET state = 'queued', claimable_at = 0, not_before = NULL, finished_at = NULL,
           updated_at = ? WHERE run_id = ? AND state = 'failed'${filter}`,
      )
      .run(this.#clock.now(), runId, ...(codes ?? []));
    return info.changes;
  }

  async counts(runId: string): Promise<BatchCounts> {
    const db = this.#open();
    const rows = db
      .prepare('SELECT state, COUNT(*) AS n FROM batch_items WHERE run_id = ? GROUP BY state')
      .all(runId) as { state: string; n: number }[];
    const by = new Map(rows.map((r) => [r.state, r.n]));
    const retrying = (
      db
        .prepare(
          "SELECT COUNT(*) AS n FROM batch_items WHERE run_id = ? AND state = 'queued' AND attempts > 0",
        )
        .get(runId) as { n: number }
    ).n;
    const get = (s: string) => by.get(s) ?? 0;
    return {
      total: rows.reduce((sum, r) => sum + r.n, 0),
      queued: get('queued'),
      inFlight: get('in-flight'),
      done: get('done'),
      failed: get('failed'),
      invalid: get('invalid'),
      retrying,
    };
  }

  async *items(runId: string, options: ListItemsOptions = {}): AsyncIterable<BatchItem> {
    const { states, pageSize = 500 } = options;
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new TypeError('batch store: pageSize must be ≥ 1');
    const filter =
      states === undefined || states.length === 0
        ? ''
        : ` AND state IN (${states.map(() => '?').join(', ')})`;
    const page = this.#open().prepare(
      `SELECT * FROM batch_items WHERE run_id = ? AND seq > ?${filter} ORDER BY seq LIMIT ?`,
    );
    let after = 0;
    for (;;) {
      const rows = page.all(runId, after, ...(states ?? []), pageSize) as _ItemRow[];
      for (const row of rows) yield _itemFromRow(row);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#group.flush();
    this.#closed = true;
    this.#db.close();
  }
}

/**
 * Opens (or creates) the SQLite state of batch runs: one file, WAL journal, `synchronous=FULL`
 * (a transition is on disk when its promise resolves, so a SIGKILL or a power cut loses none;
 * the transitions of one event-loop turn share one transaction and one fsync: group commit).
 * One process at a time drives a run; leases expire on `clock`, so a killed process leaves no
 * item stuck: its claims are taken again once their lease ends, or at once when their owner is
 * a process of this host that is gone (reclaimDeadOwners). A state file that cannot be
 * created or opened is ERR_FILE_UNWRITABLE.
 */
export function openSqliteBatchStore(options: OpenSqliteBatchStoreOptions): BatchStore {
  const { path, clock = systemClock, chunkSize = 1000, reclaimDeadOwners = true } = options;
  if (typeof path !== 'string' || path === '') throw new TypeError('openSqliteBatchStore: give a path');
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(_SCHEMA);
    const columns = db.prepare('PRAGMA table_info(batch_items)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'owner')) db.exec('ALTER TABLE batch_items ADD COLUMN owner TEXT');
  } catch (cause) {
    throw new PasserelleError('ERR_FILE_UNWRITABLE', `cannot open the batch state file ${path}`, {
      details: { path },
      cause,
    });
  }
  return new SqliteBatchStore(db, clock, chunkSize, reclaimDeadOwners);
}
