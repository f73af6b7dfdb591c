import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPasserelleError } from '../../../src/errors.ts';
import { findXopIncludes, readMtom } from '../../../src/soap/mtom/index.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { BOUNDARY, CT, chunked, collect, ENVELOPE, rawPackage } from './_helpers.ts';

const part = (id: string, body: string | Buffer = 'x') => ({
  headers: [`Content-ID: <${id}>`, 'Content-Type: application/octet-stream'],
  body,
});
const is = (code: Parameters<typeof isPasserelleError>[1]) => (e: unknown) => isPasserelleError(e, code);

test('hostile: an xop:Include with a non-cid: href is ERR_MTOM_BAD_REFERENCE', async () => {
  for (const href of ['http://attacker.example/x', 'file:///etc/passwd', 'doc1@test', 'cid:']) {
    const reader = await readMtom(
      chunked(rawPackage([part('doc1@test')], { root: ENVELOPE(href) }), 100),
      CT,
    );
    assert.throws(() => findXopIncludes(parseXml(reader.root.xml)), is('ERR_MTOM_BAD_REFERENCE'), href);
    await reader.close();
  }
});

test('hostile: xop:Include with content, with siblings, or twice the same part is ERR_MTOM_BAD_REFERENCE', () => {
  const xop = 'xmlns:xop="http://www.w3.org/2004/08/xop/include"';
  for (const inner of [
    `<t:doc><xop:Include ${xop} href="cid:a@t"><x/></xop:Include></t:doc>`,
    `<t:doc>AAAA<xop:Include ${xop} href="cid:a@t"/></t:doc>`,
    `<t:doc><xop:Include ${xop} href="cid:a@t"/></t:doc><t:doc><xop:Include ${xop} href="cid:a@t"/></t:doc>`,
  ]) {
    const doc = parseXml(`<t:r xmlns:t="urn:t">${inner}</t:r>`);
    assert.throws(() => findXopIncludes(doc), is('ERR_MTOM_BAD_REFERENCE'));
  }
});

test('hostile: a reference to a part the package does not hold is ERR_MTOM_MISSING_PART', async () => {
  const reader = await readMtom(chunked(rawPackage([part('other@test')]), 64), CT);
  await assert.rejects(reader.attachment('doc1@test'), is('ERR_MTOM_MISSING_PART'));
  await reader.close();
});

test('hostile: 10,000 tiny parts stop at the part limit (ERR_MTOM_LIMIT), without reading them all', async () => {
  const parts = Array.from({ length: 10_000 }, (_, i) => part(`p${i}@test`, 'z'));
  const reader = await readMtom(chunked(rawPackage(parts), 4096), CT);
  await assert.rejects(reader.attachment('p9999@test'), is('ERR_MTOM_LIMIT'));
  const again = await readMtom(chunked(rawPackage(parts), 4096), CT);
  await assert.rejects(again.done(), is('ERR_MTOM_LIMIT'));
});

test('hostile: oversized part headers are ERR_MTOM_LIMIT (root and attachment)', async () => {
  const huge = `X-Padding: ${'a'.repeat(100_000)}`;
  const big = rawPackage([{ headers: ['Content-ID: <doc1@test>', huge], body: 'x' }]);
  const reader = await readMtom(chunked(big, 1000), CT);
  await assert.rejects(reader.attachment('doc1@test'), is('ERR_MTOM_LIMIT'));
  const rootHeaders = Buffer.from(
    `--${BOUNDARY}\r\nContent-Type: application/xop+xml\r\n${huge}\r\n\r\n<a/>\r\n--${BOUNDARY}--\r\n`,
  );
  await assert.rejects(readMtom(chunked(rootHeaders, 1000), CT), is('ERR_MTOM_LIMIT'));
  // Many short header lines add up too.
  const many = Array.from({ length: 2000 }, (_, i) => `X-H${i}: v`);
  await assert.rejects(
    (
      await readMtom(
        chunked(rawPackage([{ headers: ['Content-ID: <doc1@test>', ...many], body: 'x' }]), 512),
        CT,
      )
    ).attachment('doc1@test'),
    is('ERR_MTOM_LIMIT'),
  );
});

test('hostile: nested multiparts are refused (ERR_MTOM_MALFORMED)', async () => {
  const inner = '--inner\r\nContent-Type: text/plain\r\n\r\nhi\r\n--inner--\r\n';
  const pkg = rawPackage([
    {
      headers: ['Content-ID: <doc1@test>', 'Content-Type: multipart/related; boundary="inner"'],
      body: inner,
    },
  ]);
  const reader = await readMtom(chunked(pkg, 50), CT);
  await assert.rejects(reader.attachment('doc1@test'), is('ERR_MTOM_MALFORMED'));
  const nestedRoot = Buffer.from(
    `--${BOUNDARY}\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n${inner}\r\n--${BOUNDARY}--\r\n`,
  );
  await assert.rejects(readMtom(chunked(nestedRoot, 50), CT), is('ERR_MTOM_MALFORMED'));
});

test('hostile: a boundary that never closes is ERR_MTOM_MALFORMED, never a hang or a crash', async () => {
  const open = rawPackage([part('doc1@test', 'data'.repeat(1000))], { close: false });
  const reader = await readMtom(chunked(open, 333), CT);
  const a = await reader.attachment('doc1@test');
  await assert.rejects(collect(a.stream), is('ERR_MTOM_MALFORMED'));
  await reader.close();
  const noneAtAll = Buffer.from(
    `--${BOUNDARY}\r\nContent-Type: application/xop+xml\r\n\r\n<a/>${'x'.repeat(100_000)}`,
  );
  await assert.rejects(readMtom(chunked(noneAtAll, 4096), CT), is('ERR_MTOM_MALFORMED'));
  const done = await readMtom(chunked(rawPackage([part('doc1@test')], { close: false }), 64), CT);
  await assert.rejects(done.done(), is('ERR_MTOM_MALFORMED'));
});

test('hostile: framing and type errors are typed', async () => {
  const ok = rawPackage([part('doc1@test')]);
  await assert.rejects(
    readMtom(chunked(ok, 64), 'multipart/form-data; boundary=x'),
    is('ERR_MTOM_MALFORMED'),
  );
  await assert.rejects(
    readMtom(chunked(ok, 64), `multipart/related; boundary="${BOUNDARY}"`),
    is('ERR_MTOM_MALFORMED'),
  );
  await assert.rejects(readMtom(chunked(ok, 64), `${CT}; boundary="again"`), is('ERR_MTOM_MALFORMED'));
  await assert.rejects(
    readMtom(chunked(ok, 64), CT.replace('<root@test>', '<other@test>')),
    is('ERR_MTOM_MALFORMED'),
  );
  const garbage = Buffer.from(
    ok
      .toString('latin1')
      .replace(`--${BOUNDARY}\r\nContent-ID: <doc1`, `--${BOUNDARY}XYZ\r\nContent-ID: <doc1`),
    'latin1',
  );
  await assert.rejects((await readMtom(chunked(garbage, 64), CT)).done(), is('ERR_MTOM_MALFORMED'));
  const dup = rawPackage([part('doc1@test'), part('doc1@test')]);
  await assert.rejects((await readMtom(chunked(dup, 64), CT)).done(), is('ERR_MTOM_MALFORMED'));
  const base64 = rawPackage([
    { headers: ['Content-ID: <doc1@test>', 'Content-Transfer-Encoding: base64'], body: 'eA==' },
  ]);
  await assert.rejects(
    (await readMtom(chunked(base64, 64), CT)).attachment('doc1@test'),
    is('ERR_MTOM_MALFORMED'),
  );
  const latin1 = Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/xop+xml\r\n\r\n<a>`),
    Buffer.from([0xe9]),
    Buffer.from(`</a>\r\n--${BOUNDARY}--\r\n`),
  ]);
  await assert.rejects(
    readMtom(chunked(latin1, 64), CT.replace(' start="<root@test>";', '')),
    is('ERR_XML_ENCODING'),
  );
});

test('hostile: root, total size and epilogue limits are ERR_MTOM_LIMIT', async () => {
  const bigRoot = rawPackage([], { root: `<a>${'x'.repeat(5000)}</a>` });
  await assert.rejects(
    readMtom(chunked(bigRoot, 512), CT, { limits: { maxRootBytes: 1000 } }),
    is('ERR_MTOM_LIMIT'),
  );
  const big = rawPackage([part('doc1@test', Buffer.alloc(100_000))]);
  const reader = await readMtom(chunked(big, 4096), CT, { limits: { maxTotalBytes: 50_000 } });
  await assert.rejects(
    async () => collect((await reader.attachment('doc1@test')).stream),
    is('ERR_MTOM_LIMIT'),
  );
  const epilogue = Buffer.concat([rawPackage([]), Buffer.alloc(100_000, 0x41)]);
  await assert.rejects((await readMtom(chunked(epilogue, 4096), CT)).done(), is('ERR_MTOM_LIMIT'));
  const preamble = Buffer.concat([Buffer.alloc(100_000, 0x41), rawPackage([])]);
  await assert.rejects(readMtom(chunked(preamble, 4096), CT), is('ERR_MTOM_LIMIT'));
});
