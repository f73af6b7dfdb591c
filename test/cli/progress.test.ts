import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { createContext } from '../../src/cli/context.ts';
import type { Io } from '../../src/cli/output.ts';
import { createProgress } from '../../src/cli/progress.ts';
import { FrozenClock } from '../../src/clock.ts';
import { TEST_NOW } from '../_support/credentials.ts';

/** An Io whose stderr is a terminal: progress updates are collected. */
function ttyIo(): { io: Io; updates: string[] } {
  const updates: string[] = [];
  return { io: { out: () => {}, err: () => {}, progress: (t) => void updates.push(t) }, updates };
}

test('on a terminal: one update per 5 % (the clock standing still), the last at 100 %, then the line is cleared', () => {
  const { io, updates } = ttyIo();
  const clock = new FrozenClock(TEST_NOW);
  const progress = createProgress(createContext(io, {}, { clock, processEnv: {} }), 'mtom:download', 1000);
  assert.ok(progress);
  for (let i = 0; i < 100; i++) progress.add(10);
  progress.done();
  const pcts = updates.slice(0, -1).map((u) => Number(/ (\d+)%$/.exec(u)?.[1]));
  assert.deepEqual(pcts, [1, 6, 11, 16, 21, 26, 31, 36, 41, 46, 51, 56, 61, 66, 71, 76, 81, 86, 91, 96, 100]);
  assert.equal(updates.at(-2), 'mtom:download  1.0 KiB / 1.0 KiB  100%');
  assert.equal(updates.at(-1), '', 'cleared at the end');
});

test('time moves: an update after 500 ms even when under 5 % more', () => {
  const { io, updates } = ttyIo();
  const clock = new FrozenClock(TEST_NOW);
  const progress = createProgress(createContext(io, {}, { clock, processEnv: {} }), 'up', 100 * 1024 * 1024);
  assert.ok(progress);
  progress.add(1024 * 1024);
  progress.add(1024 * 1024);
  assert.equal(updates.length, 1, 'the second 1 % within 500 ms is not shown');
  clock.advance(500);
  progress.add(1024 * 1024);
  assert.deepEqual(updates, ['up  1.0 MiB / 100.0 MiB  1%', 'up  3.0 MiB / 100.0 MiB  3%']);
});

test('the counter stream counts what flows through it', async () => {
  const { io, updates } = ttyIo();
  const progress = createProgress(createContext(io, {}, { processEnv: {} }), 'x', 8);
  assert.ok(progress);
  const got: Buffer[] = [];
  await pipeline(
    Readable.from([Buffer.from('abcd'), Buffer.from('efgh')]),
    progress.counter(),
    new Writable({
      write(chunk: Buffer, _encoding, next) {
        got.push(chunk);
        next();
      },
    }),
  );
  assert.equal(Buffer.concat(got).toString(), 'abcdefgh');
  assert.match(updates.at(-1) ?? '', /100%$/);
});

test('no progress under --json, nor when stderr is not a terminal', () => {
  const { io, updates } = ttyIo();
  assert.equal(createProgress(createContext(io, { json: true }, { processEnv: {} }), 'x', 10), undefined);
  const plain: Io = { out: () => {}, err: () => {} };
  assert.equal(createProgress(createContext(plain, {}, { processEnv: {} }), 'x', 10), undefined);
  assert.deepEqual(updates, []);
});
