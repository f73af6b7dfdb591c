/**
 * The SQLite schema of batch runs. `claimable_at` is what makes a claim O(limit): it is set for
 * the items a claim may take — a queued item's not-before time (0 when due at once), an in-flight
 * item's lease end — and NULL for ended ones, so the partial index below holds only live items
 * in the order a claim takes them (due time, then line order through the rowid). `owner` is who
 * holds an in-flight item (`<host>:<pid>` by default).
 */
export const _SCHEMA = `
CREATE TABLE IF NOT EXISTS batch_runs (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  total INTEGER NOT NULL DEFAULT 0,
  meta TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS batch_items (
  seq INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL,
  key TEXT NOT NULL,
  line INTEGER NOT NULL,
  recipient TEXT NOT NULL,
  state TEXT NOT NULL,
  publication TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  not_before INTEGER,
  lease TEXT,
  owner TEXT,
  lease_expires_at INTEGER,
  finished_at INTEGER,
  claimable_at INTEGER,
  result TEXT,
  error TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS batch_items_key ON batch_items (run_id, key);
CREATE INDEX IF NOT EXISTS batch_items_claim ON batch_items (run_id, claimable_at, seq)
  WHERE claimable_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS batch_items_state ON batch_items (run_id, state);
`;

export interface _ItemRow {
  readonly seq: number;
  readonly run_id: string;
  readonly key: string;
  readonly line: number;
  readonly recipient: string;
  readonly state: string;
  readonly publication: string | null;
  readonly attempts: number;
  readonly created_at: number;
  readonly updated_at: number;
  readonly not_before: number | null;
  readonly lease: string | null;
  readonly owner: string | null;
  readonly lease_expires_at: number | null;
  readonly finished_at: number | null;
  readonly result: string | null;
  readonly error: string | null;
}

export interface _RunRow {
  readonly id: string;
  readonly state: string;
  readonly created_at: number;
  readonly total: number;
  readonly meta: string;
}
