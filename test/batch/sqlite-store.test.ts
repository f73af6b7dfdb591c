import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteBatchStore } from '../../src/batch/sqlite-store.ts';
import type { BatchItemSpec } from '../../src/batch/types.ts';
import { tempDir } from '../_support/tmp.ts';
import { fakeTime, specs, T0 } from './_fixtures.ts';

const transient = { code: 'ERR_TRANSPORT_HTTP_STATUS', message: 'HTTP 503', details: { status: 503 } };

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('SQLite batch store', () => {
  it('stores every item before the run opens; claims in line order under a lease, each item once', async () => {
    const { clock } = fakeTime();
    const store = openSqliteBatchStore({ path: ':memory:', clock, chunkSize: 3 });
    const run = await store.createRun({ id: 'r1', meta: { manifest: 'm.csv' }, items: specs(10) });
    assert.deepEqual(run, { id: 'r1', state: 'open', createdAt: T0, total: 10, meta: { manifest: 'm.csv' } });
    const first = await store.claim('r1', { limit: 4, leaseMs: 1000, owner: 'a' });
    assert.deepEqual(
      first.map((c) => c.item.line),
      [2, 3, 4, 5],
    );
    assert.ok(first.every((c) => c.item.state === 'in-flight' && c.item.attempts === 1));
    assert.equal(first[0]!.item.leaseExpiresAt, T0 + 1000);
    assert.equal(new Set(first.map((c) => c.lease)).size, 4, 'one lease per item');
    const second = await store.claim('r1', { limit: 100, leaseMs: 1000 });
    assert.equal(second.length, 6);
    assert.deepEqual(await store.claim('r1', { limit: 100, leaseMs: 1000 }), [], 'nothing due left');
    assert.deepEqual(await store.counts('r1'), {
      total: 10,
      queued: 0,
      inFlight: 10,
      done: 0,
      failed: 0,
      invalid: 0,
      retrying: 0,
    });
    assert.equal(await store.complete(first[0]!, { messageId: 'm-1' }), true);
    assert.equal(await store.complete(first[0]!, { messageId: 'm-1' }), false, 'already done');
    assert.equal((await store.counts('r1')).done, 1);
    await store.close();
  });

  it('an expired lease makes the item claimable again; the old claim can no longer complete it (lease lost)', async () => {
    const { clock } = fakeTime();
    const store = openSqliteBatchStore({ path: ':memory:', clock });
    await store.createRun({ id: 'r', items: specs(2) });
    const [a] = await store.claim('r', { limit: 1, leaseMs: 5000 });
    clock.advance(4999);
    assert.deepEqual(
      (await store.claim('r', { limit: 5, leaseMs: 5000 })).map((c) => c.item.line),
      [3],
    );
    clock.advance(1);
    const [again] = await store.claim('r', { limit: 5, leaseMs: 5000 });
    assert.equal(again!.item.key, a!.item.key);
    assert.equal(again!.item.attempts, 2);
    assert.equal(await store.complete(a!, { messageId: 'x' }), false, 'the first claim lost its lease');
    assert.equal(await store.complete(again!, { messageId: 'y' }), true);
    const [item] = await collect(store.items('r', { states: ['done'] }));
    assert.equal(item!.result!.messageId, 'y');
    assert.equal(item!.finishedAt, T0 + 5000);
  });

  it("a killed runner's items are claimed at once (its process is gone), a live or remote owner's only when the lease ends", async (t) => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const path = join(tempDir(t), 'state.sqlite');
    const { clock } = fakeTime();
    const a = openSqliteBatchStore({ path, clock });
    await a.createRun({ id: 'r', items: specs(4) });
    await a.claim('r', { limit: 1, leaseMs: 60_000, owner: `${hostname()}:${dead}` });
    await a.claim('r', { limit: 1, leaseMs: 60_000 });
    await a.claim('r', { limit: 1, leaseMs: 60_000, owner: `elsewhere.example:${dead}` });
    await a.claim('r', { limit: 1, leaseMs: 60_000, owner: `${hostname()}:${process.ppid}` });
    const b = openSqliteBatchStore({ path, clock });
    clock.advance(1000);
    assert.deepEqual(
      (await b.claim('r', { limit: 10, leaseMs: 60_000 })).map((c) => [c.item.line, c.item.attempts]),
      [[2, 2]],
      'only the item of the process that is gone',
    );
    const off = openSqliteBatchStore({ path, clock, reclaimDeadOwners: false });
    assert.deepEqual(await off.claim('r', { limit: 10, leaseMs: 60_000 }), []);
    clock.advance(59_000);
    assert.deepEqual(
      (await b.claim('r', { limit: 10, leaseMs: 60_000 })).map((c) => c.item.line),
      [3, 4, 5],
      'the others after their lease',
    );
    await Promise.all([a.close(), b.close(), off.close()]);
  });

  it('retryLater holds the item until its not-before time; release gives the claim back at once', async () => {
    const { clock } = fakeTime();
    const store = openSqliteBatchStore({ path: ':memory:', clock });
    await store.createRun({ id: 'r', items: specs(2) });
    const [a, b] = await store.claim('r', { limit: 2, leaseMs: 60_000 });
    assert.equal(await store.retryLater(a!, T0 + 2000, transient), true);
    assert.equal(await store.release(b!), true);
    assert.deepEqual(await store.counts('r'), {
      total: 2,
      queued: 2,
      inFlight: 0,
      done: 0,
      failed: 0,
      invalid: 0,
      retrying: 1,
    });
    const now = await store.claim('r', { limit: 5, leaseMs: 60_000 });
    assert.deepEqual(
      now.map((c) => [c.item.line, c.item.attempts]),
      [[3, 1]],
      'the released item, its attempt given back',
    );
    clock.advance(2000);
    const later = await store.claim('r', { limit: 5, leaseMs: 60_000 });
    assert.deepEqual(
      later.map((c) => [c.item.line, c.item.attempts]),
      [[2, 2]],
    );
    assert.deepEqual(later[0]!.item.error, transient, 'the last transient fault is kept');
  });

  it('dead letters keep their coded reason; requeueFailed puts them back, filtered by code', async () => {
    const { clock } = fakeTime();
    const store = openSqliteBatchStore({ path: ':memory:', clock });
    await store.createRun({ id: 'r', items: specs(3) });
    const claims = await store.claim('r', { limit: 3, leaseMs: 1000 });
    const refused = {
      code: 'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED',
      message: 'no',
      details: { businessCode: '40' },
    };
    await store.deadLetter(claims[0]!, refused);
    await store.deadLetter(claims[1]!, transient);
    await store.complete(claims[2]!, { messageId: 'm' });
    const failed = await collect(store.items('r', { states: ['failed'] }));
    assert.deepEqual(
      failed.map((i) => i.error?.code),
      ['ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED', 'ERR_TRANSPORT_HTTP_STATUS'],
    );
    assert.equal(await store.requeueFailed('r', { codes: ['ERR_TRANSPORT_HTTP_STATUS'] }), 1);
    assert.deepEqual(
      (await store.claim('r', { limit: 5, leaseMs: 1000 })).map((c) => [c.item.line, c.item.attempts]),
      [[3, 2]],
    );
    assert.equal(await store.requeueFailed('r'), 1);
    assert.equal((await store.counts('r')).queued, 1);
  });

  it('invalid rows are stored, never claimed; rejectIfInvalid rejects the whole run (strict)', async () => {
    const store = openSqliteBatchStore({ path: ':memory:', clock: fakeTime().clock });
    const bad: BatchItemSpec = {
      key: 'L:4',
      line: 4,
      recipient: '12345678901',
      error: { code: 'ERR_IDS_INSS_INVALID', message: 'bad', details: { line: 4 } },
    };
    await store.createRun({ id: 'lenient', items: [...specs(2), bad] });
    assert.equal((await store.claim('lenient', { limit: 10, leaseMs: 1000 })).length, 2);
    assert.equal((await store.counts('lenient')).invalid, 1);
    const strict = await store.createRun({ id: 'strict', items: [...specs(2), bad], rejectIfInvalid: true });
    assert.equal(strict.state, 'rejected');
    assert.deepEqual(await store.claim('strict', { limit: 10, leaseMs: 1000 }), []);
  });

  it('a creation cut short leaves a run nothing claims from, created again from scratch under the same id', async (t) => {
    const path = join(tempDir(t), 'state.sqlite');
    const a = openSqliteBatchStore({ path, clock: fakeTime().clock, chunkSize: 2 });
    let stall: () => void = () => undefined;
    const stalled = (async function* () {
      yield* specs(5);
      await new Promise<void>((resolve) => {
        stall = resolve;
      });
    })();
    void a.createRun({ id: 'r', items: stalled });
    await new Promise((resolve) => setImmediate(resolve));
    const b = openSqliteBatchStore({ path, clock: fakeTime().clock });
    assert.equal((await b.getRun('r'))?.state, 'creating');
    assert.deepEqual(await b.claim('r', { limit: 10, leaseMs: 1000 }), [], 'a creating run is not claimable');
    const again = await b.createRun({ id: 'r', items: specs(3) });
    assert.equal(again.total, 3);
    assert.equal((await b.counts('r')).queued, 3);
    await assert.rejects(b.createRun({ id: 'r', items: specs(1) }), TypeError, 'an open run is not replaced');
    stall();
    await b.close();
  });

  it('a failure while reading the items leaves no run; a repeated key is a TypeError', async () => {
    const store = openSqliteBatchStore({ path: ':memory:', clock: fakeTime().clock, chunkSize: 2 });
    const failing = (async function* () {
      yield* specs(3);
      throw new Error('manifest read failed');
    })();
    await assert.rejects(store.createRun({ id: 'r', items: failing }), /manifest read failed/);
    assert.equal(await store.getRun('r'), undefined);
    await assert.rejects(store.createRun({ id: 'd', items: [...specs(2), ...specs(1)] }), TypeError);
    assert.equal(await store.getRun('d'), undefined);
    await assert.rejects(store.createRun({ id: 'bad id!', items: [] }), TypeError);
    await assert.rejects(store.claim('r', { limit: 0, leaseMs: 1 }), TypeError);
  });

  it('survives a reopen: the state is in the file (WAL, synchronous=FULL); pages through items in line order', async (t) => {
    const path = join(tempDir(t), 'deep', 'state.sqlite');
    const { clock } = fakeTime();
    const a = openSqliteBatchStore({ path, clock });
    await a.createRun({ id: 'r', items: specs(7) });
    const [c] = await a.claim('r', { limit: 1, leaseMs: 1000 });
    await a.complete(c!, { messageId: 'm-0' });
    await a.close();
    await a.close();
    await assert.rejects(a.counts('r'), TypeError, 'a closed store');
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
    const b = openSqliteBatchStore({ path, clock });
    assert.equal((await b.counts('r')).done, 1);
    const all = await collect(b.items('r', { pageSize: 2 }));
    assert.deepEqual(
      all.map((i) => i.line),
      [2, 3, 4, 5, 6, 7, 8],
    );
    assert.deepEqual(
      (await b.listRuns()).map((r) => r.id),
      ['r'],
    );
    await b.close();
  });

  it('a claim stays O(limit) with 100,000 items: the plan walks the claim index, no scan, no sort', async (t) => {
    const path = join(tempDir(t), 'big.sqlite');
    const { clock } = fakeTime();
    const store = openSqliteBatchStore({ path, clock, chunkSize: 5000 });
    await store.createRun({ id: 'big', items: specs(100_000) });
    const started = performance.now();
    for (let i = 0; i < 20; i++) {
      const claims = await store.claim('big', { limit: 100, leaseMs: 1000 });
      assert.equal(claims.length, 100);
      for (const c of claims) await store.complete(c, { messageId: 'm' });
    }
    t.diagnostic(`20 claims of 100 and their completions: ${Math.round(performance.now() - started)} ms`);
    await store.close();
    const db = new Database(path, { readonly: true });
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT seq FROM batch_items WHERE run_id = ? AND claimable_at IS NOT NULL
         AND claimable_at <= ? ORDER BY claimable_at, seq LIMIT ?`,
      )
      .all('big', T0, 100) as { detail: string }[];
    db.close();
    const details = plan.map((p) => p.detail).join(' | ');
    assert.match(details, /USING (COVERING )?INDEX batch_items_claim/);
    assert.doesNotMatch(details, /TEMP B-TREE|SCAN batch_items(?! USING)/);
  });
});
