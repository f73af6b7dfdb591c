import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { buildMtom, readMtom } from '../../src/soap/mtom/index.ts';
import type { MtomAttachment } from '../../src/soap/mtom/types.ts';
import { signMtomEnvelope, verifyMtomEnvelope, type XopBase64Form } from '../../src/wss/mtom.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { DEBIAN_PYTHON, requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { chunked, collect } from '../soap/mtom/_helpers.ts';
import { mtomEnvelope } from './_mtom.ts';

const clock = new FrozenClock(TEST_NOW);

/**
 * The independent side: Python's `email` package parses the MIME package; lxml replaces each
 * xop:Include with the base64 text of the part it names (XOP 1.0 §3.2; `mime76` as Java's MIME
 * encoder writes it); python-xmlsec verifies the signature of that XOP-expanded envelope.
 */
const PEER = String.raw`
import sys, json, base64, hashlib, urllib.parse
from email import policy
from email.parser import BytesParser
from lxml import etree
import xmlsec
pkg_file, content_type, cert_file, form, tamper = sys.argv[1:6]
raw = open(pkg_file, 'rb').read()
msg = BytesParser(policy=policy.HTTP).parsebytes(b'Content-Type: ' + content_type.encode() + b'\r\nMIME-Version: 1.0\r\n\r\n' + raw)
assert msg.is_multipart() and msg.get_content_type() == 'multipart/related', msg.get_content_type()
assert msg.get_param('type') == 'application/xop+xml' and msg.get_param('start-info') == 'text/xml'
parts = list(msg.iter_parts())
root = parts[0]
assert '<' + root['Content-ID'].strip('<>') + '>' == msg.get_param('start')
assert root.get_content_type() == 'application/xop+xml' and root.get_param('type') == 'text/xml'
by_id = {p['Content-ID'].strip().strip('<>'): p.get_payload(decode=True) for p in parts[1:]}
if tamper == '1':
    k = next(iter(by_id)); by_id[k] = by_id[k] + b'!'
doc = etree.fromstring(root.get_payload(decode=True))
XOP = 'http://www.w3.org/2004/08/xop/include'
for inc in list(doc.iter('{%s}Include' % XOP)):
    href = inc.get('href'); assert href.startswith('cid:')
    data = by_id[urllib.parse.unquote(href[4:])]
    text = base64.b64encode(data).decode()
    if form == 'mime76':
        text = '\r\n'.join(text[i:i + 76] for i in range(0, len(text), 76))
    parent = inc.getparent(); parent.remove(inc); parent.text = text
WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd'
ctx = xmlsec.SignatureContext()
ctx.key = xmlsec.Key.from_file(cert_file, xmlsec.constants.KeyDataFormatCertPem)
for el in doc.iter():
    if el.get('{%s}Id' % WSU) is not None: ctx.register_id(el, 'Id', WSU)
sig = doc.find('.//{http://www.w3.org/2000/09/xmldsig#}Signature')
try:
    ctx.verify(sig); ok = True
except xmlsec.Error:
    ok = False
print(json.dumps({'ok': ok, 'parts': {k: [len(v), hashlib.sha256(v).hexdigest()] for k, v in by_id.items()}}))
`;

for (const form of ['canonical', 'mime76'] as XopBase64Form[]) {
  test(`an MTOM package we build parses with Python's email package and its XOP-expanded form verifies with python-xmlsec (${form})`, async (t) => {
    if (!requirePeer(t, 'python3-xmlsec')) return;
    const pki = await testPki();
    const dir = tempDir(t);
    const blobs = [randomBytes(123_457), randomBytes(1), Buffer.from('\r\n--not-a-boundary\r\n')];
    const attachments: MtomAttachment[] = blobs.map((data, i) => ({
      contentId: `doc-${i}/x@passerelle.test`,
      contentType: 'application/pdf',
      source: { data },
    }));
    const signed = await signMtomEnvelope(
      mtomEnvelope(attachments, { declareXopOnEnvelope: form === 'mime76' }),
      attachments,
      {
        credential: pki.rsa,
        clock,
        xopBase64: form,
      },
    );
    const pkg = await buildMtom(signed, attachments);
    const file = join(dir, 'package.mime');
    writeFileSync(file, await collect(pkg.body));
    const cert = join(dir, 'cert.pem');
    writeFileSync(cert, pki.rsa.certificate.toString());
    const run = (tamper: '0' | '1') =>
      runPeer(DEBIAN_PYTHON, ['-c', PEER, file, pkg.contentType, cert, form, tamper]);
    const good = run('0');
    assert.equal(good.status, 0, good.stderr);
    const out = JSON.parse(good.stdout) as { ok: boolean; parts: Record<string, [number, string]> };
    assert.equal(out.ok, true, 'python-xmlsec verifies the XOP-expanded envelope');
    for (const [i, b] of blobs.entries()) {
      assert.deepEqual(out.parts[`doc-${i}/x@passerelle.test`], [
        b.length,
        createHash('sha256').update(b).digest('hex'),
      ]);
    }
    const bad = run('1');
    assert.equal(bad.status, 0, bad.stderr);
    assert.equal(
      (JSON.parse(bad.stdout) as { ok: boolean }).ok,
      false,
      'a changed attachment fails python-xmlsec',
    );
  });
}

/** The form the peer signs: one unbroken line of base64 (what lxml holds as the element's text). */
const XOP_FORM: XopBase64Form = 'canonical';
const ZEEP_MTOM = new URL('../vectors/wss/zeep_sign_mtom.py', import.meta.url).pathname;

test('a signed MTOM message made by a Python client (zeep signs the inline form, then XOP-optimizes) verifies with ours as a stream; a changed attachment is ERR_WSS_DIGEST_MISMATCH', async (t) => {
  if (!requirePeer(t, 'python3-zeep')) return;
  const pki = await testPki();
  const dir = tempDir(t);
  writeFileSync(join(dir, 'key.pem'), pki.rsa.keyPem);
  writeFileSync(join(dir, 'cert.pem'), pki.rsa.certificate.toString());
  // Across the reader's 256 KiB blocks and the 16 KiB chunks fed below; bytes that look like framing.
  const blobs = [randomBytes(300_001), Buffer.from('\r\n--uuid:\r\n\r\n'), randomBytes(2)];
  const envelope =
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><t:upload xmlns:t="urn:test">' +
    blobs.map((b, i) => `<t:doc cid="doc-${i}@peer">${b.toString('base64')}</t:doc>`).join('') +
    '</t:upload></soapenv:Body></soapenv:Envelope>';
  const receive = async (tamper: '0' | '1') => {
    const file = join(dir, `package-${tamper}.mime`);
    const created = new Date(TEST_NOW).toISOString();
    const expires = new Date(TEST_NOW + 300_000).toISOString();
    const r = runPeer(
      DEBIAN_PYTHON,
      [ZEEP_MTOM, join(dir, 'key.pem'), join(dir, 'cert.pem'), created, expires, file, tamper],
      envelope,
    );
    assert.equal(r.status, 0, r.stderr);
    const reader = await readMtom(chunked(readFileSync(file), 16_384), r.stdout);
    // zeep adds its BinarySecurityToken after signing: Body and Timestamp are what it signs.
    const options = { trust: [pki.ca.certificate], clock, require: ['body', 'timestamp'] } as const;
    const v = verifyMtomEnvelope(reader.root.xml, { ...options, xopBase64: XOP_FORM });
    assert.deepEqual(
      v.includes.map((i) => i.contentId),
      blobs.map((_, i) => `doc-${i}@peer`),
    );
    const received: Buffer[] = [];
    for (const { contentId } of v.includes) {
      const attachment = await reader.attachment(contentId);
      const digest = v.digestStream(contentId);
      attachment.stream.pipe(digest);
      received.push(await collect(digest));
    }
    await reader.done();
    return { v, received };
  };
  const good = await receive('0');
  good.v.complete();
  assert.equal(good.v.envelope.signer.fingerprint256, pki.rsa.certificate.fingerprint256);
  assert.deepEqual(good.received, blobs);
  const bad = await receive('1');
  assert.throws(
    () => bad.v.complete(),
    (e) => isPasserelleError(e, 'ERR_WSS_DIGEST_MISMATCH'),
  );
});
