import type Database from 'better-sqlite3';
import type { CreateRunInput } from './store.ts';
import type { BatchError, BatchItemSpec } from './types.ts';

const RUN_ID = /^[A-Za-z0-9._-]{1,64}$/;
const KEY = /^[\x20-\x7e]{1,200}$/;
const MISSING: BatchError = { code: 'ERR_EBOX_INVALID_INPUT', message: 'the row has no publication' };

function isConstraint(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Stores a run: the run row `creating`, the items in chunks of `chunkSize` (one transaction
 * each), then the run `open` (or `rejected`). An interrupted creation of the same id is wiped
 * first; a failure while reading the items removes what was stored and is rethrown.
 */
export async function _sqliteCreateRun(
  db: Database.Database,
  input: CreateRunInput,
  id: string,
  now: number,
  chunkSize: number,
): Promise<void> {
  if (!RUN_ID.test(id)) throw new TypeError('batch store: a run id is 1 to 64 of [A-Za-z0-9._-]');
  const wipe = db.transaction(() => {
    db.prepare('DELETE FROM batch_items WHERE run_id = ?').run(id);
    db.prepare('DELETE FROM batch_runs WHERE id = ?').run(id);
  });
  db.transaction(() => {
    const existing = db.prepare('SELECT state FROM batch_runs WHERE id = ?').get(id) as
      | { state: string }
      | undefined;
    if (existing !== undefined && existing.state !== 'creating')
      throw new TypeError(`batch store: the run ${id} exists already`);
    wipe();
    db.prepare('INSERT INTO batch_runs (id, state, created_at, meta) VALUES (?, ?, ?, ?)').run(
      id,
      'creating',
      now,
      JSON.stringify(input.meta ?? {}),
    );
  }).immediate();
  const insert = db.prepare(
    `INSERT INTO batch_items (run_id, key, line, recipient, state, publication, attempts,
       created_at, updated_at, claimable_at, error) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
  );
  const write = db.transaction((chunk: readonly BatchItemSpec[]) => {
    for (const spec of chunk) {
      if (!KEY.test(spec.key)) throw new TypeError(`batch store: invalid item key at line ${spec.line}`);
      const bad = spec.error !== undefined || spec.publication === undefined;
      const error = spec.error ?? (bad ? MISSING : undefined);
      insert.run(
        id,
        spec.key,
        spec.line,
        spec.recipient,
        bad ? 'invalid' : 'queued',
        spec.publication === undefined ? null : JSON.stringify(spec.publication),
        now,
        now,
        bad ? null : 0,
        error === undefined ? null : JSON.stringify(error),
      );
    }
  });
  let total = 0;
  let invalid = 0;
  try {
    let chunk: BatchItemSpec[] = [];
    for await (const spec of input.items) {
      chunk.push(spec);
      total++;
      if (spec.error !== undefined || spec.publication === undefined) invalid++;
      if (chunk.length >= chunkSize) {
        write(chunk);
        chunk = [];
      }
    }
    write(chunk);
  } catch (error) {
    wipe();
    if (isConstraint(error)) throw new TypeError(`batch store: an item key is repeated in run ${id}`);
    throw error;
  }
  const state = input.rejectIfInvalid === true && invalid > 0 ? 'rejected' : 'open';
  db.prepare('UPDATE batch_runs SET state = ?, total = ? WHERE id = ?').run(state, total, id);
}
