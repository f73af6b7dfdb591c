import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { _hashBase64, _simdBase64 } from '../../src/wss/_base64-hash.ts';
import { _XopBodyDigest, type XopBase64Form } from '../../src/wss/_mtom-digest.ts';

/** The XOP-expanded text of one attachment, written directly (the reference). */
function expanded(data: Buffer, form: XopBase64Form): string {
  const text = data.toString('base64');
  if (form === 'canonical') return text;
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 76) lines.push(text.slice(i, i + 76));
  return lines.join('&#xD;\n');
}

/** Splits `data` into chunks of the given sizes, cycling through them. */
function chunked(data: Buffer, sizes: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0, k = 0; i < data.length; k++) {
    const n = sizes[k % sizes.length]!;
    out.push(data.subarray(i, i + n));
    i += n;
  }
  return out;
}

const SIZES = [0, 1, 2, 3, 4, 56, 57, 58, 114, 49_151, 49_152, 49_153, 47_880, 200_003];
const CHUNKINGS: readonly (readonly number[])[] = [
  [1],
  [2, 1, 5],
  [56, 58, 3],
  [4096],
  [49_153, 7],
  [300_000],
];

for (const form of ['canonical', 'mime76'] as XopBase64Form[]) {
  test(`XOP digest (${form}): any chunking gives the digest of the expanded text, across block edges`, () => {
    for (const size of SIZES) {
      const data = randomBytes(size);
      const other = randomBytes(size % 7);
      const segments = ['<b><d>', '</d><d>', '</d></b>'];
      const want = createHash('sha256')
        .update(segments[0]!)
        .update(expanded(data, form))
        .update(segments[1]!)
        .update(expanded(other, form))
        .update(segments[2]!)
        .digest('hex');
      for (const sizes of CHUNKINGS) {
        const d = new _XopBodyDigest('sha256', segments, form);
        d.begin(0);
        for (const c of chunked(data, sizes)) d.update(c);
        d.end();
        d.begin(1);
        d.update(other);
        d.end();
        assert.equal(d.digest().toString('hex'), want, `size ${size}, chunks ${sizes.join('/')}`);
      }
    }
  });
}

test('base64 into a hash: the WebAssembly encoder writes exactly what Buffer does, at any size and offset', () => {
  assert.equal(_simdBase64, true, 'WebAssembly SIMD is available on Node 20');
  const pool = randomBytes(200_100);
  for (const size of [
    0, 1, 2, 3, 11, 12, 13, 24, 25, 4095, 49_151, 49_152, 49_153, 49_164, 98_304, 200_003,
  ]) {
    for (const offset of [0, 1, 5]) {
      const data = pool.subarray(offset, offset + Math.min(size, pool.length - offset));
      const got = createHash('sha256');
      _hashBase64(got, data);
      const want = createHash('sha256').update(data.toString('base64'), 'latin1');
      assert.equal(got.digest('hex'), want.digest('hex'), `size ${data.length}, offset ${offset}`);
    }
  }
  const edges = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xfb, 0xef, 0xbe, 0x03, 0xf0, 0x3f]);
  const h = createHash('sha256');
  _hashBase64(h, edges);
  assert.equal(h.digest('hex'), createHash('sha256').update(edges.toString('base64')).digest('hex'));
});

test('XOP digest: a chunk reused by the caller after update does not change the result', () => {
  const data = randomBytes(100_000);
  const want = createHash('sha256')
    .update(`<a>${data.toString('base64')}</a>`)
    .digest('hex');
  const d = new _XopBodyDigest('sha256', ['<a>', '</a>'], 'canonical');
  const scratch = Buffer.alloc(1000);
  d.begin(0);
  for (let i = 0; i < data.length; i += 1000) {
    const n = data.copy(scratch, 0, i, i + 1000);
    d.update(scratch.subarray(0, n));
    scratch.fill(0xa5); // overwritten as a reused read buffer would be
  }
  d.end();
  assert.equal(d.digest().toString('hex'), want);
});

test('XOP digest: misuse (out of order, update without begin, digest too early) is a TypeError', () => {
  const d = new _XopBodyDigest('sha256', ['<a>', '</a><b>', '</b>'], 'canonical');
  assert.throws(() => d.update(Buffer.from('x')), TypeError);
  assert.throws(() => d.begin(1), TypeError);
  d.begin(0);
  assert.throws(() => d.begin(1), TypeError);
  d.end();
  assert.throws(() => d.digest(), TypeError);
  assert.throws(() => d.end(), TypeError);
});
