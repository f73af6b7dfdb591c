import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { _chunks } from '../../../src/soap/mtom/_chunks.ts';

/** A byte stream that pushes `count` chunks of `size` bytes synchronously from each read(). */
function eager(count: number, size: number): { stream: Readable; pushed: Buffer[]; reads: () => number } {
  const pushed: Buffer[] = [];
  let reads = 0;
  const stream = new Readable({
    highWaterMark: size,
    read() {
      reads++;
      if (pushed.length >= count) {
        this.push(null);
        return;
      }
      const chunk = Buffer.alloc(size, pushed.length);
      pushed.push(chunk);
      this.push(chunk);
    },
  });
  return { stream, pushed, reads: () => reads };
}

test('_chunks yields the chunks as pushed (same Buffers, never concatenated), in order', async () => {
  const { stream, pushed } = eager(20, 1000);
  const got: Buffer[] = [];
  for await (const chunk of _chunks(stream)) got.push(chunk);
  assert.equal(got.length, 20);
  for (const [i, chunk] of got.entries()) assert.equal(chunk, pushed[i], `chunk ${i} is the pushed Buffer`);
});

test('_chunks applies backpressure: nothing is read far ahead of a consumer that waits', async () => {
  const { stream, reads } = eager(1000, 1000);
  const it = _chunks(stream);
  await it.next();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(reads() <= 3, `read ${reads()} times ahead`);
  await it.return(undefined);
});

test('_chunks: leaving early destroys the stream', async () => {
  const { stream } = eager(1000, 1000);
  for await (const _ of _chunks(stream)) break;
  assert.equal(stream.destroyed, true);
});

test('_chunks: a stream error is thrown, a premature close too', async () => {
  const failing = new Readable({
    read() {
      this.push(Buffer.from('a'));
      this.destroy(Object.assign(new Error('boom'), { code: 'EBOOM' }));
    },
  });
  await assert.rejects(
    (async () => {
      for await (const _ of _chunks(failing));
    })(),
    { code: 'EBOOM' },
  );
  let reads = 0;
  const closing = new Readable({
    read() {
      if (reads++ === 0) this.push(Buffer.from('a'));
      else this.destroy();
    },
  });
  await assert.rejects(
    (async () => {
      for await (const _ of _chunks(closing));
    })(),
    { code: 'ERR_STREAM_PREMATURE_CLOSE', message: 'The stream closed before its end' },
  );
});
