import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay } from '../../src/batch/backoff-delay.ts';
import type { BatchEvent } from '../../src/batch/events.ts';
import { isTransient } from '../../src/batch/is-transient.ts';
import { runBatch } from '../../src/batch/run-batch.ts';
import { openSqliteBatchStore } from '../../src/batch/sqlite-store.ts';
import type { BatchStore } from '../../src/batch/store.ts';
import type { BatchItem } from '../../src/batch/types.ts';
import { PasserelleError } from '../../src/errors.ts';
import { seededRandom } from '../_support/seeded.ts';
import { fakeTime, specs } from './_fixtures.ts';

const soaTemporary = () =>
  new PasserelleError('ERR_SOAP_FAULT', 'SOA-02002', {
    details: { retryable: true, faultCode: 'SOA-02002' },
  });
const http = (status: number) =>
  new PasserelleError('ERR_TRANSPORT_HTTP_STATUS', `HTTP ${status}`, { details: { status } });
const notAuthorized = () =>
  new PasserelleError('ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED', 'type not authorized', {
    details: { businessCode: '40' },
  });

async function setup(n: number) {
  const time = fakeTime();
  const store = openSqliteBatchStore({ path: ':memory:', clock: time.clock });
  await store.createRun({ id: 'r', items: specs(n) });
  return { ...time, store };
}

async function states(store: BatchStore) {
  const out: Record<string, [string, number, string | undefined]> = {};
  for await (const i of store.items('r')) out[i.key] = [i.state, i.attempts, i.error?.code];
  return out;
}

describe('which failures are retried', () => {
  it('transient: SOA-02002, HTTP 503, a timeout, a connection lost (the item carries its idempotency key)', () => {
    assert.equal(isTransient(soaTemporary()), true);
    assert.equal(isTransient(http(503)), true);
    assert.equal(isTransient(new PasserelleError('ERR_TRANSPORT_TIMEOUT', 'timed out')), true);
    for (const requestSent of [true, false])
      assert.equal(
        isTransient(
          new PasserelleError('ERR_TRANSPORT_CONNECT', 'reset', {
            details: { errno: 'ECONNRESET', requestSent },
          }),
        ),
        true,
      );
  });

  it('business and configuration errors are not: bad INSS, type not authorized, other statuses, SOA-02001, TLS, plain errors', () => {
    assert.equal(isTransient(new PasserelleError('ERR_IDS_INSS_INVALID', 'bad')), false);
    assert.equal(isTransient(notAuthorized()), false);
    assert.equal(isTransient(new PasserelleError('ERR_EBOX_INVALID_RECIPIENT', 'no eBox')), false);
    assert.equal(isTransient(http(500)), false);
    assert.equal(
      isTransient(new PasserelleError('ERR_SOAP_FAULT', 'SOA-02001', { details: { retryable: false } })),
      false,
    );
    assert.equal(isTransient(new PasserelleError('ERR_TRANSPORT_TLS', 'handshake')), false);
    assert.equal(isTransient(new Error('boom')), false);
  });
});

describe('backoffDelay', () => {
  it('stays within [0, min(max, base·2^(n-1))], repeats with a seeded random, the whole window without jitter', () => {
    const random = seededRandom(7);
    const again = seededRandom(7);
    for (let n = 1; n <= 40; n++) {
      const window = Math.min(30_000, 500 * 2 ** (n - 1));
      const d = backoffDelay(n, { random });
      assert.ok(d >= 0 && d <= window, `retry ${n}: ${d} in [0, ${window}]`);
      assert.equal(backoffDelay(n, { random: again }), d, 'seeded: the same delays');
      assert.equal(backoffDelay(n, { jitter: false }), window);
    }
    assert.equal(backoffDelay(3, { baseMs: 100, maxMs: 250, random: () => 1 }), 250);
    assert.equal(backoffDelay(1, { random: () => Number.NaN }), 0);
    assert.throws(() => backoffDelay(0), TypeError);
  });
});

describe('runBatch', () => {
  it('publishes every item once, transient faults retried after a backoff, business errors straight to dead letters', async () => {
    const { store, clock, sleep } = await setup(6);
    const calls = new Map<string, number>();
    const events: BatchEvent[] = [];
    const result = await runBatch(store, 'r', {
      publish: async (item: BatchItem) => {
        const n = (calls.get(item.key) ?? 0) + 1;
        calls.set(item.key, n);
        if (item.key === 'T:TEST-1#' && n <= 2) throw soaTemporary();
        if (item.key === 'T:TEST-2#') throw notAuthorized();
        if (item.key === 'T:TEST-3#') throw http(503);
        if (item.key === 'T:TEST-4#') throw new Error('a bug');
        return { messageId: `m-${item.key}` };
      },
      concurrency: 2,
      retry: { attempts: 4, baseMs: 100, maxMs: 1000, random: seededRandom(1) },
      clock,
      sleep,
      pollMs: 50,
      onEvent: (e) => events.push(e),
    });
    assert.equal(result.stopped, false);
    assert.equal(result.state, 'open');
    assert.deepEqual(await states(store), {
      'T:TEST-0#': ['done', 1, undefined],
      'T:TEST-1#': ['done', 3, undefined],
      'T:TEST-2#': ['failed', 1, 'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED'],
      'T:TEST-3#': ['failed', 4, 'ERR_TRANSPORT_HTTP_STATUS'],
      'T:TEST-4#': ['failed', 1, 'ERR_INTERNAL'],
      'T:TEST-5#': ['done', 1, undefined],
    });
    assert.equal(calls.get('T:TEST-2#'), 1, 'a business error is not retried');
    assert.equal(calls.get('T:TEST-3#'), 4, 'a transient fault until the attempts run out');
    const retries = events.filter((e) => e.type === 'retry');
    assert.equal(retries.length, 2 + 3);
    for (const r of retries) {
      const window = Math.min(1000, 100 * 2 ** (r.attempts - 1));
      assert.ok(r.waitMs >= 0 && r.waitMs <= window);
    }
    assert.equal(events[0]!.type, 'start');
    assert.equal(events.at(-1)!.type, 'end');
    assert.deepEqual(
      [result.counts.done, result.counts.failed, result.counts.queued, result.counts.inFlight],
      [3, 3, 0, 0],
    );
  });

  it('ERR_EBOX_DUPLICATE after an earlier attempt is done (already published); on a first attempt a dead letter', async () => {
    const { store, clock, sleep } = await setup(2);
    let first = true;
    await runBatch(store, 'r', {
      publish: async (item) => {
        if (item.key === 'T:TEST-0#' && first) {
          first = false;
          throw new PasserelleError('ERR_TRANSPORT_TIMEOUT', 'no answer');
        }
        throw new PasserelleError('ERR_EBOX_DUPLICATE', 'already read', { details: { businessCode: '620' } });
      },
      retry: { baseMs: 1 },
      clock,
      sleep,
    });
    assert.deepEqual(await states(store), {
      'T:TEST-0#': ['done', 2, undefined],
      'T:TEST-1#': ['failed', 1, 'ERR_EBOX_DUPLICATE'],
    });
    for await (const i of store.items('r', { states: ['done'] }))
      assert.deepEqual(i.result, { messageId: '', details: { alreadyPublished: true } });
  });

  it('never more than `concurrency` publications at once, nor more than `maxInFlight` items claimed', async () => {
    const { store, clock, sleep } = await setup(60);
    let running = 0;
    let most = 0;
    let mostClaimed = 0;
    await runBatch(store, 'r', {
      publish: async () => {
        running++;
        most = Math.max(most, running);
        mostClaimed = Math.max(mostClaimed, (await store.counts('r')).inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        return { messageId: 'm' };
      },
      concurrency: 3,
      maxInFlight: 7,
      clock,
      sleep,
    });
    assert.equal(most, 3);
    assert.ok(mostClaimed <= 7, `at most 7 claimed, saw ${mostClaimed}`);
    assert.equal((await store.counts('r')).done, 60);
  });

  it('the rate limit spaces the starts: 10 per second', async () => {
    const { store, clock, sleep } = await setup(21);
    const starts: number[] = [];
    const result = await runBatch(store, 'r', {
      publish: async () => {
        starts.push(clock.now());
        return { messageId: 'm' };
      },
      concurrency: 4,
      ratePerSecond: 10,
      clock,
      sleep,
    });
    for (let i = 1; i < starts.length; i++)
      assert.ok(starts[i]! - starts[i - 1]! >= 100, `start ${i} spaced`);
    assert.ok(result.elapsedMs >= 2000, `21 starts at 10/s take 2 s, took ${result.elapsedMs}`);
  });

  it('a graceful stop: claimed items not started are released, running ones end; a resume finishes the run, each item published once', async () => {
    const { store, clock, sleep } = await setup(40);
    const published = new Map<string, number>();
    const controller = new AbortController();
    const events: BatchEvent[] = [];
    const publish = async (item: BatchItem) => {
      published.set(item.key, (published.get(item.key) ?? 0) + 1);
      if (published.size === 10) controller.abort();
      await new Promise((resolve) => setImmediate(resolve));
      return { messageId: `m-${item.key}` };
    };
    const stopped = await runBatch(store, 'r', {
      publish,
      concurrency: 4,
      maxInFlight: 16,
      clock,
      sleep,
      signal: controller.signal,
      onEvent: (e) => events.push(e),
    });
    assert.equal(stopped.stopped, true);
    assert.equal(stopped.counts.inFlight, 0, 'nothing left in flight');
    assert.equal(stopped.counts.done, published.size, 'every started publication ended and was recorded');
    const released = events.find((e) => e.type === 'released');
    assert.ok(released !== undefined && released.count > 0, 'claimed items were given back');
    for await (const i of store.items('r', { states: ['queued'] })) assert.equal(i.attempts, 0);
    const resumed = await runBatch(store, 'r', { publish, concurrency: 4, clock, sleep });
    assert.equal(resumed.stopped, false);
    assert.equal(resumed.counts.done, 40);
    assert.ok(
      [...published.values()].every((n) => n === 1),
      'no item published twice',
    );
  });

  it('a resume takes the items a killed runner left in flight once their lease has expired', async () => {
    const { store, clock, sleep } = await setup(5);
    const lost = await store.claim('r', { limit: 3, leaseMs: 10_000 });
    assert.equal(lost.length, 3);
    const starts: [string, number][] = [];
    const result = await runBatch(store, 'r', {
      publish: async (item) => {
        starts.push([item.key, clock.now()]);
        return { messageId: 'm' };
      },
      pollMs: 1000,
      clock,
      sleep,
    });
    assert.equal(result.counts.done, 5);
    const t0 = starts[0]![1];
    const late = starts.filter(([, at]) => at - t0 >= 10_000).map(([k]) => k);
    assert.deepEqual(late.sort(), lost.map((c) => c.item.key).sort(), 'taken again after the lease');
  });

  it('a publication outlasting its lease is not started again by the same runner: the new claim takes over its outcome', async () => {
    const { store, clock, sleep } = await setup(2);
    const calls = new Map<string, number>();
    const events: BatchEvent[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await runBatch(store, 'r', {
      publish: async (item) => {
        calls.set(item.key, (calls.get(item.key) ?? 0) + 1);
        if (item.key === 'T:TEST-0#') {
          clock.advance(10_001);
          await gate;
        }
        return { messageId: `m-${item.key}` };
      },
      concurrency: 2,
      leaseMs: 10_000,
      clock,
      sleep,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'claimed' && events.filter((x) => x.type === 'claimed').length === 2) release();
      },
    });
    assert.deepEqual(Object.fromEntries(calls), { 'T:TEST-0#': 1, 'T:TEST-1#': 1 });
    assert.deepEqual(await states(store), {
      'T:TEST-0#': ['done', 2, undefined],
      'T:TEST-1#': ['done', 1, undefined],
    });
    assert.equal(events.filter((e) => e.type === 'lease-lost').length, 0);
  });

  it('wrong use is a TypeError: no publish, concurrency 0, maxInFlight below concurrency, an unknown run', async () => {
    const { store } = await setup(1);
    const publish = async () => ({ messageId: 'm' });
    await assert.rejects(runBatch(store, 'r', {} as never), TypeError);
    await assert.rejects(runBatch(store, 'r', { publish, concurrency: 0 }), TypeError);
    await assert.rejects(runBatch(store, 'r', { publish, concurrency: 4, maxInFlight: 2 }), TypeError);
    await assert.rejects(runBatch(store, 'nope', { publish }), TypeError);
  });
});
