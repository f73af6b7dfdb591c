import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { isPasserelleError } from '../../../src/errors.ts';
import { buildMtom, cid, findXopIncludes, readMtom } from '../../../src/soap/mtom/index.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { tempDir } from '../../_support/tmp.ts';
import { chunked, collect, ENVELOPE } from './_helpers.ts';

test('a package we build reads back: root, attachments by Content-ID, sizes and bytes, at every chunking', async (t) => {
  const dir = tempDir(t);
  const big = randomBytes(300_000);
  // A body that holds boundary-like text and CRLFs, to exercise the delimiter search.
  const tricky = Buffer.from('\r\n--uuid:\r\n--\r\n\r\n--uuid:0000\r\n'.repeat(50));
  writeFileSync(join(dir, 'big.bin'), big);
  const pkg = await buildMtom(ENVELOPE('cid:a%2Fb@test'), [
    { contentId: 'a/b@test', contentType: 'application/pdf', source: { file: join(dir, 'big.bin') } },
    { contentId: 'tricky@test', source: { data: tricky } },
    { contentId: 'empty@test', source: { data: new Uint8Array(0) } },
  ]);
  const wire = await collect(pkg.body);
  assert.equal(wire.length, pkg.contentLength);
  for (const size of [1, 7, 64, 1000, 65536, wire.length]) {
    const reader = await readMtom(chunked(wire, size), pkg.contentType);
    assert.match(reader.root.xml, /xop:Include/);
    assert.equal(reader.root.type, 'text/xml');
    const a = await reader.attachment('a/b@test');
    assert.equal(a.contentType, 'application/pdf');
    assert.ok((await collect(a.stream)).equals(big));
    assert.ok((await collect((await reader.attachment('tricky@test')).stream)).equals(tricky));
    assert.equal((await collect((await reader.attachment('empty@test')).stream)).length, 0);
    await reader.done();
  }
});

test('attachment bytes from 16 KiB network records are handed out in chunks of 256 KiB (the last shorter)', async () => {
  const body = randomBytes(1_000_003);
  const pkg = await buildMtom(ENVELOPE(), [{ contentId: 'doc1@test', source: { data: body } }]);
  const wire = await collect(pkg.body);
  const reader = await readMtom(chunked(wire, 16 * 1024), pkg.contentType);
  const sizes: number[] = [];
  const got: Buffer[] = [];
  for await (const chunk of (await reader.attachment('doc1@test')).stream) {
    sizes.push((chunk as Buffer).length);
    got.push(chunk as Buffer);
  }
  await reader.done();
  assert.ok(Buffer.concat(got).equals(body));
  assert.ok(
    sizes.slice(0, -1).every((n) => n >= 256 * 1024 && n < 256 * 1024 + 16 * 1024),
    sizes.join(','),
  );
});

test('cid: URLs are %-encoded and decoded (RFC 2392)', () => {
  assert.equal(cid.url('a/c%d@x'), 'cid:a%2Fc%25d@x');
  assert.equal(cid.parse('cid:a%2Fc%25d@x'), 'a/c%d@x');
  assert.equal(cid.parse('CID:x@y'), 'x@y');
  for (const href of [
    'http://evil/x',
    'file:///etc/passwd',
    'x@y',
    'cid:',
    'cid:%zz',
    'cid:a%3Eb',
    'cid:a%20b',
  ]) {
    assert.throws(
      () => cid.parse(href),
      (e) => isPasserelleError(e, 'ERR_MTOM_BAD_REFERENCE'),
      href,
    );
  }
  assert.throws(() => cid.url('a<b'), TypeError);
});

test('parts asked for out of order are spooled to disk and still stream back intact', async (t) => {
  const dir = tempDir(t);
  const one = randomBytes(100_000);
  const two = randomBytes(50_000);
  const pkg = await buildMtom(ENVELOPE(), [
    { contentId: 'one@test', source: { data: one } },
    { contentId: 'two@test', source: { open: () => Readable.from([two]) } },
  ]);
  assert.equal(pkg.contentLength, undefined, 'an open() source without size gives no Content-Length');
  const reader = await readMtom(pkg.body, pkg.contentType, { spoolDir: dir });
  const second = await reader.attachment('two@test');
  assert.ok((await collect(second.stream)).equals(two));
  const first = await reader.attachment('one@test');
  assert.equal(
    createHash('sha256')
      .update(await collect(first.stream))
      .digest('hex'),
    createHash('sha256').update(one).digest('hex'),
  );
  await reader.done();
});

test('the next attachment waits for the previous one to be read (TypeError), and a part is taken once', async () => {
  const pkg = await buildMtom(ENVELOPE(), [
    { contentId: 'one@test', source: { data: randomBytes(200_000) } },
    { contentId: 'two@test', source: { data: randomBytes(10) } },
  ]);
  const reader = await readMtom(pkg.body, pkg.contentType);
  const one = await reader.attachment('one@test');
  await assert.rejects(reader.attachment('two@test'), TypeError);
  await collect(one.stream);
  await assert.rejects(reader.attachment('one@test'), TypeError);
  await reader.close();
});

test('findXopIncludes lists cid references in document order', () => {
  const doc = parseXml(ENVELOPE('cid:doc1@test'));
  const found = findXopIncludes(doc);
  assert.deepEqual(
    found.map((f) => f.contentId),
    ['doc1@test'],
  );
});
