import type PgBoss from 'pg-boss';
import type { _PostgresDb, _Sql } from './_postgres-db.ts';
import { type _PgRunRow, _RUN_COLUMNS, _runFromPgRow } from './_postgres-schema.ts';
import type { CreateRunInput } from './store.ts';
import type { BatchError, BatchRunInfo } from './types.ts';

export interface _PgRunContext {
  readonly db: _PostgresDb;
  readonly boss: PgBoss;
  readonly schema: string;
  readonly chunkSize: number;
}

const KEY = /^[\x20-\x7e]{1,200}$/;
const MISSING: BatchError = { code: 'ERR_EBOX_INVALID_INPUT', message: 'the row has no publication' };
/** pg-boss never gives up a job by itself (the runner decides dead letters); jobs live ten years. */
const QUEUE_OPTIONS = { retryLimit: 1_000_000_000, retryDelay: 0, retentionMinutes: 10 * 365 * 24 * 60 };

/**
 * Removes a queue and its jobs. pg-boss 10's deleteQueue fails while the queue holds jobs (its
 * foreign key is ON DELETE RESTRICT, checked at once), which is the case when a creator was
 * killed after writing some chunks: the jobs of a run still `creating` were never fetched (no
 * worker joins such a run), so they are all waiting and purgeQueue removes them first.
 */
async function _dropQueue(boss: PgBoss, queue: string): Promise<void> {
  if ((await boss.getQueue(queue)) === null) return;
  await boss.purgeQueue(queue);
  await boss.deleteQueue(queue);
}

/**
 * Creates a run (the caller holds the run's creation lock): the run row `creating`, the pg-boss
 * queue, the items streamed in chunks — each chunk's rows and jobs in one transaction — then the
 * run `open` (or `rejected`). A `creating` run left by a killed creator is redone from scratch; a
 * failure removes what was written; a repeated key is a TypeError.
 */
export async function _createPostgresRun(
  ctx: _PgRunContext,
  id: string,
  queue: string,
  input: CreateRunInput,
): Promise<BatchRunInfo> {
  const { db, boss, schema: s, chunkSize } = ctx;
  // A `creating` run is one whose creator was killed: it is created again from scratch.
  const made = await db.sql.query(
    `INSERT INTO ${s}.runs AS r (id, state, meta) VALUES ($1, 'creating', $2::jsonb)
     ON CONFLICT (id) DO UPDATE SET meta = EXCLUDED.meta, created_at = now(), total = 0
     WHERE r.state = 'creating' RETURNING id`,
    [id, JSON.stringify(input.meta ?? {})],
  );
  if (made.length === 0)
    throw new TypeError(`batch store: run ${id} exists (other workers join it by its id)`);
  let total = 0;
  let invalid = 0;
  try {
    await db.sql.query(`DELETE FROM ${s}.items WHERE run_id = $1`, [id]);
    await _dropQueue(boss, queue);
    await boss.createQueue(queue, { name: queue, ...QUEUE_OPTIONS });
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
      if (chunk.length >= chunkSize) {
        await writeChunk(ctx, id, queue, chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) await writeChunk(ctx, id, queue, chunk);
  } catch (error) {
    await db.sql.query(`DELETE FROM ${s}.runs WHERE id = $1`, [id]).catch(() => {});
    await _dropQueue(boss, queue).catch(() => {});
    if ((error as { code?: unknown }).code === '23505')
      throw new TypeError(`batch store: an item key is repeated in run ${id}`);
    throw error;
  }
  const state = input.rejectIfInvalid === true && invalid > 0 ? 'rejected' : 'open';
  const [row] = await db.sql.query<_PgRunRow>(
    `UPDATE ${s}.runs SET state = $2, total = $3 WHERE id = $1 RETURNING ${_RUN_COLUMNS}`,
    [id, state, total],
  );
  return _runFromPgRow(row!);
}

/** One transaction: the chunk's rows, then one pg-boss job per queued item (same connection). */
async function writeChunk(ctx: _PgRunContext, runId: string, queue: string, chunk: object[]): Promise<void> {
  await ctx.db.tx(async (sql) => {
    const rows = await sql.query<{ seq: number; job_id: string | null }>(
      `INSERT INTO ${ctx.schema}.items (run_id, seq, key, line, recipient, state, publication, error, jobs, job_id)
       SELECT $1, x.seq, x.key, x.line, x.recipient, x.state, x.publication, x.error,
         CASE WHEN x.state = 'queued' THEN 1 ELSE 0 END,
         CASE WHEN x.state = 'queued' THEN md5($1::text || '/' || x.key || '/1')::uuid END
       FROM jsonb_to_recordset($2::jsonb) AS x(seq integer, key text, line integer, recipient text,
         state text, publication jsonb, error jsonb)
       RETURNING seq, job_id`,
      [runId, JSON.stringify(chunk)],
    );
    await _enqueue(ctx.boss, sql, queue, rows);
  });
}

/** Inserts the items' current jobs (ids derived, so inserting twice makes one job). */
export async function _enqueue(
  boss: PgBoss,
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
  if (jobs.length > 0) await boss.insert(jobs, { db: sql.boss });
}
