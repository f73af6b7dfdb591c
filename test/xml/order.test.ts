import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareCodePoints,
  isRelativeNamespace,
  isRelativeNamespaceCached,
  sortFew,
} from '../../src/xml/_order.ts';
import { seededRandom } from '../_support/seeded.ts';

/** The oracle: UTF-8 byte order is code point order. */
const byUtf8 = (a: string, b: string): number => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

test('compareCodePoints orders like UTF-8 bytes, unlike UTF-16 code units (seeded strings)', () => {
  const rnd = seededRandom(0xc0de);
  // Code points around the boundaries where UTF-16 and code point order disagree.
  const pool = [0x41, 0x7f, 0xe9, 0xd7ff, 0xe000, 0xff21, 0xfffd, 0x10000, 0x10400, 0x1f600, 0x10fffd];
  const word = () =>
    String.fromCodePoint(
      ...Array.from({ length: Math.floor(rnd() * 4) }, () => pool[Math.floor(rnd() * pool.length)]!),
    );
  let disagreements = 0;
  for (let i = 0; i < 5000; i++) {
    const a = word();
    const b = rnd() < 0.3 ? a + word() : word();
    assert.equal(Math.sign(compareCodePoints(a, b)), byUtf8(a, b), JSON.stringify([a, b]));
    if ((a < b ? -1 : a > b ? 1 : 0) !== byUtf8(a, b)) disagreements++;
  }
  assert.ok(disagreements > 100, 'the seeded strings exercise the orders where UTF-16 disagrees');
  assert.ok(compareCodePoints('\uFF21', '\u{10400}') < 0 && '\u{10400}' < '\uFF21');
});

test('isRelativeNamespace: no RFC 3986 scheme means relative; xmlns="" is not a URI', () => {
  for (const uri of ['rel', 'a/b', '#f', '//h/x', '?q', '1a:b', ':x', '-a:b', 'é:x', '\u{10400}'])
    assert.equal(isRelativeNamespace(uri), true, uri);
  for (const uri of ['', 'urn:x', 'a:', 'A+b-c.9:x', 'http://x/../y', 'urn:\u{10400}'])
    assert.equal(isRelativeNamespace(uri), false, uri);
});

test('sortFew sorts as a stable Array.prototype.sort does (code-point order, random short lists)', () => {
  const pool = ['', 'a', 'b', 'ab', '\u{1F600}', '\uFFFD', 'xmlns', 'ds', 'wsu', 'A', '\u00E9'];
  for (let n = 0; n < 500; n++) {
    const items = Array.from(
      { length: n % 9 },
      (_, i) => [pool[(n * 7 + i * 13) % pool.length]!, i] as const,
    );
    const byName = (x: readonly [string, number], y: readonly [string, number]) =>
      compareCodePoints(x[0], y[0]);
    assert.deepEqual(sortFew(items.slice(), byName), items.slice().sort(byName));
  }
});

test('isRelativeNamespaceCached answers as isRelativeNamespace, asked once or again', () => {
  for (const uri of ['urn:a', 'relative', 'http://x/', '', '1:x', 'a:b', 'relative', 'urn:a', '#frag']) {
    assert.equal(isRelativeNamespaceCached(uri), isRelativeNamespace(uri));
    assert.equal(isRelativeNamespaceCached(uri), isRelativeNamespace(uri));
  }
});
