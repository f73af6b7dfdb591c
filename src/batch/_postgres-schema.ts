import type { BatchItem, BatchItemState, BatchRunInfo, BatchRunState } from './types.ts';

/**
 * The PostgreSQL side of batch runs, next to pg-boss's own schema. pg-boss holds the queue (one
 * queue per run, one job per queued item: claims are its `fetch`, crash recovery its expiry and
 * retry); these two tables hold what pg-boss does not: the run, every item's line, recipient,
 * publication, attempts, outcome (result or coded error) and the lease token, so that `counts`,
 * `items` and the report are plain SQL on one table whatever pg-boss has archived.
 *
 * - `seq` is the item's ordinal in the run (line order); its job's priority is `-seq`, so pg-boss
 *   hands out a fresh run in line order.
 * - `jobs` counts the pg-boss jobs made for the item; the current one is `job_id`, derived from
 *   the run, the key and that count (`md5(run/key/n)::uuid`): enqueueing the same item twice
 *   inserts the same job id, which pg-boss ignores (ON CONFLICT DO NOTHING).
 * - `claims` counts every claim and never decreases: the lease token is `job_id.claims`, so a
 *   worker whose lease expired and whose job was fetched again by another worker is refused.
 */
export function _postgresSchemaSql(schema: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.runs (
  id text PRIMARY KEY,
  state text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  total integer NOT NULL DEFAULT 0,
  meta jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS ${schema}.items (
  run_id text NOT NULL REFERENCES ${schema}.runs (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  key text NOT NULL,
  line integer NOT NULL,
  recipient text NOT NULL,
  state text NOT NULL,
  publication jsonb,
  attempts integer NOT NULL DEFAULT 0,
  claims integer NOT NULL DEFAULT 0,
  jobs integer NOT NULL DEFAULT 0,
  job_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  not_before timestamptz,
  lease_expires_at timestamptz,
  finished_at timestamptz,
  result jsonb,
  error jsonb,
  PRIMARY KEY (run_id, seq),
  UNIQUE (run_id, key)
);
CREATE INDEX IF NOT EXISTS items_state ON ${schema}.items (run_id, state);
`;
}

/** The pg-boss queue of a run. */
export function _queueName(runId: string): string {
  return `batch.${runId}`;
}

/** The pg-boss job id of an item's n-th job, computed in SQL from the row's columns. */
export function _jobIdSql(n: string): string {
  return `md5(run_id || '/' || key || '/' || (${n})::text)::uuid`;
}

const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8 AS ${column}`;

/** The item columns as `_itemFromRow` reads them (times in ms since the epoch). */
export const _ITEM_COLUMNS = [
  'run_id',
  'seq',
  'key',
  'line',
  'recipient',
  'state',
  'publication',
  'attempts',
  'claims',
  'job_id',
  ms('created_at'),
  ms('updated_at'),
  ms('not_before'),
  ms('lease_expires_at'),
  ms('finished_at'),
  'result',
  'error',
].join(', ');

export const _RUN_COLUMNS = `id, state, ${ms('created_at')}, total, meta`;

export interface _PgItemRow {
  readonly run_id: string;
  readonly seq: number;
  readonly key: string;
  readonly line: number;
  readonly recipient: string;
  readonly state: string;
  readonly publication: unknown;
  readonly attempts: number;
  readonly claims: number;
  readonly job_id: string | null;
  readonly created_at: number;
  readonly updated_at: number;
  readonly not_before: number | null;
  readonly lease_expires_at: number | null;
  readonly finished_at: number | null;
  readonly result: unknown;
  readonly error: unknown;
}

export interface _PgRunRow {
  readonly id: string;
  readonly state: string;
  readonly created_at: number;
  readonly total: number;
  readonly meta: Record<string, unknown>;
}

const round = (n: number) => Math.round(n);

/** A row as the store's callers see it (NULLs left out, times whole milliseconds). */
export function _itemFromPgRow(row: _PgItemRow): BatchItem {
  return {
    runId: row.run_id,
    key: row.key,
    line: row.line,
    recipient: row.recipient,
    state: row.state as BatchItemState,
    attempts: row.attempts,
    createdAt: round(row.created_at),
    updatedAt: round(row.updated_at),
    ...(row.publication === null ? {} : { publication: row.publication as BatchItem['publication'] }),
    ...(row.not_before === null ? {} : { notBefore: round(row.not_before) }),
    ...(row.state === 'in-flight' && row.lease_expires_at !== null
      ? { leaseExpiresAt: round(row.lease_expires_at) }
      : {}),
    ...(row.finished_at === null ? {} : { finishedAt: round(row.finished_at) }),
    ...(row.result === null ? {} : { result: row.result as BatchItem['result'] }),
    ...(row.error === null ? {} : { error: row.error as BatchItem['error'] }),
  };
}

export function _runFromPgRow(row: _PgRunRow): BatchRunInfo {
  return {
    id: row.id,
    state: row.state as BatchRunState,
    createdAt: round(row.created_at),
    total: row.total,
    meta: row.meta,
  };
}
