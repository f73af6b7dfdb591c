import assert from 'node:assert/strict';
import type { FileHandle } from 'node:fs/promises';
import { test } from 'node:test';
import { _FileWriter } from '../../src/sftp/_file-writer.ts';

/** A FileHandle stand-in: writev writes at most `max` bytes per call into `out`. */
function fakeFile(max: number, fail?: Error) {
  const out = Buffer.alloc(64);
  const calls: number[] = [];
  let syncs = 0;
  const file = {
    async writev(buffers: Buffer[], position: number) {
      if (fail) throw fail;
      const all = Buffer.concat(buffers);
      const n = Math.min(max, all.length);
      all.copy(out, position, 0, n);
      calls.push(n);
      return { bytesWritten: n, buffers };
    },
    async datasync() {},
    async sync() {
      syncs++;
    },
  };
  return { file: file as unknown as FileHandle, out, calls, syncs: () => syncs };
}

test('queued chunks are written in order at their offsets, short writes continued, then synced', async () => {
  const f = fakeFile(5);
  const written: Buffer[] = [];
  const w = new _FileWriter(f.file, 1024, (b) => written.push(b));
  const chunks = ['abc', 'defgh', 'ij', 'klmnopq'].map((s) => Buffer.from(s));
  for (const c of chunks) assert.equal(w.push(c), undefined, 'under the limit: no waiting');
  assert.equal(await w.finish(), 17);
  assert.equal(f.out.subarray(0, 17).toString(), 'abcdefghijklmnopq');
  assert.ok(f.calls.every((n) => n <= 5));
  assert.equal(f.syncs(), 1);
  assert.deepEqual(written, chunks, 'each chunk handed back once written');
});

test('over the queue limit push returns a promise; a write failure surfaces in finish and push', async () => {
  const f = fakeFile(64);
  const w = new _FileWriter(f.file, 4);
  assert.ok(w.push(Buffer.from('0123456789')) instanceof Promise);
  assert.equal(await w.finish(), 10);
  const boom = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
  const bad = new _FileWriter(fakeFile(64, boom).file, 4);
  await bad.push(Buffer.from('0123456789'));
  await assert.rejects(bad.finish(), { code: 'ENOSPC', message: /disk full/ });
  assert.throws(() => bad.push(Buffer.from('x')), { code: 'ENOSPC', message: /disk full/ });
  await bad.settle();
});
