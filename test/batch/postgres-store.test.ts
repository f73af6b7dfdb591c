import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { BatchClaim, BatchItem, BatchItemSpec, BatchStore } from '../../src/batch/index.ts';
import { openPostgresBatchStore, postgresQueueName } from '../../src/batch/postgres-store.ts';
import { isPasserelleError } from '../../src/errors.ts';
import type { EboxPublication } from '../../src/services/ebox/publication.ts';
import { requirePostgres } from '../_support/postgres.ts';

// The BatchStore contract on a real PostgreSQL through pg-boss: the same behaviours as the
// SQLite store (claim/lease/complete/retry-later/dead-letter/release/requeue/counts/iterate).
// Times are the database's, so lease expiry is waited for (short leases, 1 s maintenance).

function publication(n: number): EboxPublication {
  return {
    recipient: '85073003328',
    messageType: 'PAYMENT_STATEMENT',
    subject: { lang: 'fr', text: `Statement ${n}` },
    document: { path: `/data/statement-${n}.pdf` },
    ticket: `T${n}`,
    sequence: 0,
  };
}

function specs(n: number, invalidLines: number[] = []): BatchItemSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const line = i + 2;
    return invalidLines.includes(line)
      ? { key: `k${line}`, line, recipient: 'bad', error: { code: 'ERR_IDS_INVALID', message: 'bad INSS' } }
      : { key: `k${line}`, line, recipient: '85073003328', publication: publication(line) };
  });
}

async function open(t: import('node:test').TestContext): Promise<BatchStore | undefined> {
  const pg = await requirePostgres(t);
  if (!pg) return undefined;
  const store = await openPostgresBatchStore({
    url: pg.database(),
    maintenanceIntervalSeconds: 1,
    chunkSize: 7,
  });
  t.after(() => store.close());
  return store;
}

async function all(iter: AsyncIterable<BatchItem>): Promise<BatchItem[]> {
  const out: BatchItem[] = [];
  for await (const item of iter) out.push(item);
  return out;
}

test('postgres store: a run is stored in chunks, opened, listed; invalid rows kept, never claimed', async (t) => {
  const store = await open(t);
  if (!store) return;
  async function* items() {
    yield* specs(20, [5, 9]);
  }
  const run = await store.createRun({ id: 'run-a', meta: { manifest: 'm.csv' }, items: items() });
  assert.equal(run.state, 'open');
  assert.equal(run.total, 20);
  assert.deepEqual(run.meta, { manifest: 'm.csv' });
  assert.ok(Math.abs(run.createdAt - Date.now()) < 60_000);
  assert.deepEqual(await store.counts('run-a'), {
    total: 20,
    queued: 18,
    inFlight: 0,
    done: 0,
    failed: 0,
    invalid: 2,
    retrying: 0,
  });
  assert.deepEqual(
    (await store.listRuns()).map((r) => r.id),
    ['run-a'],
  );
  const invalid = await all(store.items('run-a', { states: ['invalid'] }));
  assert.deepEqual(
    invalid.map((i) => [i.line, i.error?.code]),
    [
      [5, 'ERR_IDS_INVALID'],
      [9, 'ERR_IDS_INVALID'],
    ],
  );
  const every = await all(store.items('run-a', { pageSize: 3 }));
  assert.deepEqual(
    every.map((i) => i.line),
    Array.from({ length: 20 }, (_, i) => i + 2),
  );
  assert.deepEqual(every[0]?.publication, publication(2));
  const claims = await store.claim('run-a', { limit: 100, leaseMs: 60_000 });
  assert.equal(claims.length, 18);
  assert.ok(claims.every((c) => c.item.state === 'in-flight' && c.item.attempts === 1));
  assert.deepEqual(await store.claim('run-a', { limit: 100, leaseMs: 60_000 }), []);
});

test('postgres store: strict mode rejects a run with an invalid row; ids are checked; a run is created once', async (t) => {
  const store = await open(t);
  if (!store) return;
  const rejected = await store.createRun({ id: 'strict', items: specs(4, [3]), rejectIfInvalid: true });
  assert.equal(rejected.state, 'rejected');
  assert.deepEqual(await store.claim('strict', { limit: 10, leaseMs: 1000 }), []);
  await assert.rejects(store.createRun({ id: 'strict', items: specs(1) }), TypeError);
  await assert.rejects(store.createRun({ id: 'bad/id', items: [] }), TypeError);
  const repeated = [...specs(3), { ...specs(1)[0]! }];
  await assert.rejects(store.createRun({ id: 'dup', items: repeated }), /repeated/);
  assert.equal(await store.getRun('dup'), undefined);
  const fresh = await store.createRun({ items: specs(2) });
  assert.match(fresh.id, /^run-\d{8}-\d{6}-[0-9a-f]{6}$/);
  assert.equal(await store.getRun('nope'), undefined);
  assert.deepEqual(await store.claim('nope', { limit: 1, leaseMs: 1000 }), []);
  assert.equal((await store.counts('nope')).total, 0);
  assert.deepEqual(await all(store.items('nope')), []);
  await assert.rejects(store.claim(fresh.id, { limit: 0, leaseMs: 1000 }), TypeError);
  await assert.rejects(store.claim(fresh.id, { limit: 1, leaseMs: 0 }), TypeError);
});

test('postgres store: claims come in line order, never twice, even concurrently', async (t) => {
  const store = await open(t);
  if (!store) return;
  await store.createRun({ id: 'r', items: specs(60) });
  const first = await store.claim('r', { limit: 5, leaseMs: 60_000 });
  assert.deepEqual(
    first.map((c) => c.item.line),
    [2, 3, 4, 5, 6],
  );
  const batches = await Promise.all(
    Array.from({ length: 8 }, () => store.claim('r', { limit: 10, leaseMs: 60_000 })),
  );
  const keys = batches.flat().map((c) => c.item.key);
  assert.equal(keys.length, 55);
  assert.equal(new Set(keys).size, 55);
  const c = await store.counts('r');
  assert.equal(c.inFlight, 60);
  assert.equal(c.queued, 0);
});

test('postgres store: complete, dead letter and requeue by code; a second transition is refused', async (t) => {
  const store = await open(t);
  if (!store) return;
  await store.createRun({ id: 'r', items: specs(3) });
  const [a, b, c] = await store.claim('r', { limit: 3, leaseMs: 60_000 });
  assert.ok(a && b && c);
  assert.equal(await store.complete(a, { messageId: 'm-1', details: { transport: 'soap' } }), true);
  assert.equal(await store.complete(a, { messageId: 'm-1' }), false);
  assert.equal(await store.deadLetter(a, { code: 'ERR_X', message: 'x' }), false);
  assert.equal(
    await store.deadLetter(b, { code: 'ERR_EBOX_BUSINESS', message: 'type not authorized' }),
    true,
  );
  assert.equal(
    await store.deadLetter(c, { code: 'ERR_EBOX_INVALID_RECIPIENT', message: 'no such citizen' }),
    true,
  );
  const items = await all(store.items('r'));
  assert.equal(items[0]?.state, 'done');
  assert.deepEqual(items[0]?.result, { messageId: 'm-1', details: { transport: 'soap' } });
  assert.ok(items[0]?.finishedAt);
  assert.equal(items[1]?.state, 'failed');
  assert.equal(items[1]?.error?.code, 'ERR_EBOX_BUSINESS');
  assert.deepEqual(await store.claim('r', { limit: 10, leaseMs: 60_000 }), []);
  assert.equal(await store.requeueFailed('r', { codes: ['ERR_EBOX_BUSINESS'] }), 1);
  assert.equal((await store.counts('r')).failed, 1);
  const again = await store.claim('r', { limit: 10, leaseMs: 60_000 });
  assert.deepEqual(
    again.map((x) => [x.item.key, x.item.attempts]),
    [['k3', 2]],
  );
  assert.equal(await store.complete(again[0]!, { messageId: 'm-2' }), true);
  assert.equal(await store.requeueFailed('r'), 1);
  const c2 = await store.counts('r');
  assert.deepEqual([c2.done, c2.queued, c2.failed, c2.retrying], [2, 1, 0, 1]);
});

test('postgres store: retry later waits for its not-before time; release gives the claim back at once', async (t) => {
  const store = await open(t);
  if (!store) return;
  await store.createRun({ id: 'r', items: specs(2) });
  const [a, b] = await store.claim('r', { limit: 2, leaseMs: 60_000 });
  assert.ok(a && b);
  const notBefore = Date.now() + 1500;
  assert.equal(
    await store.retryLater(a, notBefore, { code: 'ERR_TRANSPORT_TIMEOUT', message: 'timeout' }),
    true,
  );
  assert.equal(
    await store.retryLater(a, notBefore, { code: 'ERR_TRANSPORT_TIMEOUT', message: 'again' }),
    false,
  );
  assert.equal(await store.release(b), true);
  const queued = await all(store.items('r'));
  assert.deepEqual(
    queued.map((i) => [i.state, i.attempts]),
    [
      ['queued', 1],
      ['queued', 0],
    ],
  );
  assert.equal(queued[0]?.error?.code, 'ERR_TRANSPORT_TIMEOUT');
  assert.ok(Math.abs((queued[0]?.notBefore ?? 0) - notBefore) <= 1);
  assert.equal((await store.counts('r')).retrying, 1);
  const now = await store.claim('r', { limit: 10, leaseMs: 60_000 });
  assert.deepEqual(
    now.map((c) => [c.item.key, c.item.attempts]),
    [['k3', 1]],
  );
  await sleep(Math.max(0, notBefore - Date.now()) + 300);
  const later = await store.claim('r', { limit: 10, leaseMs: 60_000 });
  assert.deepEqual(
    later.map((c) => [c.item.key, c.item.attempts]),
    [['k2', 2]],
  );
  assert.equal(await store.complete(later[0]!, { messageId: 'm' }), true);
});

test('postgres store: an expired lease is claimed again through pg-boss expiry; the old claim is refused', async (t) => {
  const store = await open(t);
  if (!store) return;
  await store.createRun({ id: 'r', items: specs(2) });
  const [a, b] = await store.claim('r', { limit: 2, leaseMs: 300 });
  assert.ok(a && b);
  assert.ok((a.item.leaseExpiresAt ?? 0) > Date.now() - 5_000);
  // b's lease lapses but nobody takes it: its holder may still end it (as on SQLite), and the
  // job pg-boss put back is cancelled so that it is not claimed again.
  let again: Awaited<ReturnType<BatchStore['claim']>> = [];
  for (let i = 0; i < 40 && again.length === 0; i++) {
    await sleep(250);
    again = await store.claim('r', { limit: 1, leaseMs: 60_000 });
  }
  assert.deepEqual(
    again.map((c) => [c.item.key, c.item.attempts]),
    [['k2', 2]],
  );
  assert.equal(await store.complete(a, { messageId: 'late' }), false);
  assert.equal(await store.complete(again[0]!, { messageId: 'm' }), true);
  assert.equal(await store.complete(b, { messageId: 'slow but alone' }), true);
  await sleep(1500);
  assert.deepEqual(await store.claim('r', { limit: 10, leaseMs: 60_000 }), []);
  const items = await all(store.items('r'));
  assert.deepEqual(
    items.map((i) => [i.state, i.result?.messageId]),
    [
      ['done', 'm'],
      ['done', 'slow but alone'],
    ],
  );
});

test('postgres store: a closed store is a TypeError; a bad URL too; an unreachable server is ERR_TRANSPORT_CONNECT without the password', async (t) => {
  const store = await open(t);
  if (!store) return;
  await store.close();
  await store.close();
  await assert.rejects(store.counts('r'), TypeError);
  await assert.rejects(openPostgresBatchStore({ url: 'mysql://x' }), TypeError);
  await assert.rejects(openPostgresBatchStore({ url: 'postgres://h/db', schema: 'Bad-Schema' }), TypeError);
  await assert.rejects(
    openPostgresBatchStore({ url: 'postgres://user:s3cret-pw@127.0.0.1:1/db' }),
    (e: unknown) => {
      assert.ok(isPasserelleError(e, 'ERR_TRANSPORT_CONNECT'));
      assert.doesNotMatch(JSON.stringify(e.toJSON()), /s3cret/);
      assert.doesNotMatch(e.message, /s3cret/);
      assert.equal(e.details['port'], '1');
      return true;
    },
  );
});

test('postgres store: pg-boss holds one job per queued item, in the state the item says; two creators of one run make it once', async (t) => {
  const pg = await requirePostgres(t);
  if (!pg) return;
  const url = pg.database();
  const [one, two] = await Promise.all([openPostgresBatchStore({ url }), openPostgresBatchStore({ url })]);
  t.after(() => Promise.all([one.close(), two.close()]));
  const client = new Client({ connectionString: url });
  await client.connect();
  t.after(() => client.end());
  const jobs = async () =>
    (
      await client.query<{ s: string; n: number }>(
        `SELECT state::text AS s, count(*)::integer AS n FROM passerelle_batch_pgboss.job WHERE name = $1
         GROUP BY state ORDER BY state`,
        [postgresQueueName('r')],
      )
    ).rows.map((r) => `${r.s}:${r.n}`);

  const results = await Promise.allSettled([
    one.createRun({ id: 'r', items: specs(30, [4]) }),
    two.createRun({ id: 'r', items: specs(30, [4]) }),
  ]);
  assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.ok(refused.reason instanceof TypeError && /exists/.test(refused.reason.message));
  assert.deepEqual(await jobs(), ['created:29']);

  const claims = [
    ...(await one.claim('r', { limit: 2, leaseMs: 60_000 })),
    ...(await two.claim('r', { limit: 1, leaseMs: 60_000 })),
  ];
  assert.deepEqual(
    claims.map((c) => c.item.key),
    ['k2', 'k3', 'k5'],
  );
  assert.deepEqual(await jobs(), ['created:26', 'active:3']);
  const [a, b, c] = claims as [BatchClaim, BatchClaim, BatchClaim];
  // Completions of one turn share a transaction; another store's claim is ended by any store.
  assert.deepEqual(
    await Promise.all([two.complete(a, { messageId: 'a' }), one.complete(b, { messageId: 'b' })]),
    [true, true],
  );
  assert.equal(
    await one.retryLater(c, Date.now() + 60_000, { code: 'ERR_TRANSPORT_TIMEOUT', message: 't' }),
    true,
  );
  assert.deepEqual(await jobs(), ['created:27', 'completed:3']);
  const [d] = await one.claim('r', { limit: 1, leaseMs: 60_000 });
  assert.equal(await two.deadLetter(d!, { code: 'ERR_EBOX_BUSINESS', message: 'no' }), true);
  assert.deepEqual(await jobs(), ['created:26', 'completed:3', 'cancelled:1']);
  assert.equal(await one.requeueFailed('r'), 1);
  assert.deepEqual(await jobs(), ['created:27', 'completed:3', 'cancelled:1']);
  const c2 = await two.counts('r');
  assert.deepEqual([c2.done, c2.queued, c2.invalid, c2.retrying], [2, 27, 1, 2]);
});

test('postgres store: close waits for the completions already asked', async (t) => {
  const pg = await requirePostgres(t);
  if (!pg) return;
  const url = pg.database();
  const store = await openPostgresBatchStore({ url });
  await store.createRun({ id: 'r', items: specs(5) });
  const claims = await store.claim('r', { limit: 5, leaseMs: 60_000 });
  const asked = claims.map((c) => store.complete(c, { messageId: c.item.key }));
  await store.close();
  assert.deepEqual(await Promise.all(asked), [true, true, true, true, true]);
  const again = await openPostgresBatchStore({ url });
  t.after(() => again.close());
  assert.equal((await again.counts('r')).done, 5);
});
