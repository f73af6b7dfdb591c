import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { signEnvelope, verifyEnvelope } from '../../src/wss/index.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { DEBIAN_PYTHON, requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { mutate, requestEnvelope, withPayloadItems, xmlsec1Verify } from './_helpers.ts';

const clock = new FrozenClock(TEST_NOW);
const ZEEP = new URL('../vectors/wss/zeep_sign.py', import.meta.url).pathname;

for (const kind of ['rsa', 'ec'] as const) {
  for (const inclusiveNamespaces of [true, false]) {
    for (const prefix of ['soapenv', 's', 'SOAP-ENV', null]) {
      for (const header of [true, false]) {
        const name = `xmlsec1 verifies our ${kind} signature (prefix ${prefix ?? '(default ns)'}, PrefixList ${inclusiveNamespaces ? 'on' : 'off'}, ${header ? 'with' : 'without'} Header)`;
        test(name, async (t) => {
          if (!requirePeer(t, 'xmlsec1')) return;
          const pki = await testPki();
          const credential = pki[kind];
          const signed = signEnvelope(requestEnvelope({ prefix, header }), {
            credential,
            clock,
            inclusiveNamespaces,
          });
          assert.equal(signed.includes('InclusiveNamespaces'), inclusiveNamespaces);
          const dir = tempDir(t);
          const ok = xmlsec1Verify(dir, signed, credential.certificate.toString());
          assert.equal(ok.status, 0, ok.stderr);
          assert.match(ok.stderr, /SignedInfo References \(ok\/all\): 3\/3/);
          const tampered = signed.replace('>t-1<', '>t-2<');
          assert.notEqual(tampered, signed);
          assert.notEqual(
            xmlsec1Verify(dir, tampered, credential.certificate.toString()).status,
            0,
            'xmlsec1 must reject a tampered body',
          );
          const other = kind === 'rsa' ? pki.ec : pki.rsa;
          assert.notEqual(
            xmlsec1Verify(dir, signed, other.certificate.toString()).status,
            0,
            'xmlsec1 must use the given key',
          );
        });
      }
    }
  }
}

function zeepSign(
  t: { after: (fn: () => void) => void },
  key: string,
  cert: string,
  kind: 'rsa' | 'ec',
  envelope: string,
  extra: string[] = [],
) {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'key.pem'), key);
  writeFileSync(join(dir, 'cert.pem'), cert);
  const created = new Date(TEST_NOW).toISOString();
  const expires = new Date(TEST_NOW + 300_000).toISOString();
  const r = runPeer(
    DEBIAN_PYTHON,
    [ZEEP, join(dir, 'key.pem'), join(dir, 'cert.pem'), kind, created, expires, ...extra],
    envelope,
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

for (const kind of ['rsa', 'ec'] as const) {
  test(`an envelope signed by zeep BinarySignature (${kind}) verifies with ours, requiring Body and Timestamp`, async (t) => {
    if (!requirePeer(t, 'python3-zeep')) return;
    const pki = await testPki();
    const c = pki[kind];
    const signed = zeepSign(
      t,
      c.keyPem,
      c.certificate.toString(),
      kind,
      requestEnvelope({ prefix: 'soap-env', header: false }),
    );
    const v = verifyEnvelope(signed, { trust: [pki.ca.certificate], clock, require: ['body', 'timestamp'] });
    assert.deepEqual([...v.signedParts].sort(), ['body', 'timestamp']);
    assert.equal(v.signer.fingerprint256, c.certificate.fingerprint256);
    assert.equal(v.timestamp?.created.getTime(), TEST_NOW);
    // zeep inserts its BinarySecurityToken after signing: the platform profile (BST signed) refuses it.
    assert.throws(
      () => verifyEnvelope(signed, { trust: [pki.ca.certificate], clock }),
      (e) => isPasserelleError(e, 'ERR_WSS_PART_NOT_SIGNED'),
    );
    assert.throws(
      () =>
        verifyEnvelope(signed.replace('8501010010', '8501010011'), {
          trust: [pki.ca.certificate],
          clock,
          require: ['body', 'timestamp'],
        }),
      (e) => isPasserelleError(e, 'ERR_WSS_DIGEST_MISMATCH'),
    );
  });
}

test('zeep with its defaults (RSA-SHA1, SHA-1 digests) is refused: ERR_WSS_ALG_NOT_ALLOWED', async (t) => {
  if (!requirePeer(t, 'python3-zeep')) return;
  const pki = await testPki();
  const dir = tempDir(t);
  writeFileSync(join(dir, 'key.pem'), pki.rsa.keyPem);
  writeFileSync(join(dir, 'cert.pem'), pki.rsa.certificate.toString());
  const script = [
    'import sys',
    'from lxml import etree',
    'from zeep.wsse.signature import BinarySignature',
    'env = etree.fromstring(sys.stdin.buffer.read())',
    'env, _ = BinarySignature(sys.argv[1], sys.argv[2]).apply(env, {})',
    'sys.stdout.buffer.write(etree.tostring(env))',
  ].join('\n');
  const r = runPeer(
    DEBIAN_PYTHON,
    ['-c', script, join(dir, 'key.pem'), join(dir, 'cert.pem')],
    requestEnvelope({ prefix: 'soap-env' }),
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /rsa-sha1/);
  assert.throws(
    () => verifyEnvelope(r.stdout, { trust: [pki.ca.certificate], clock, require: ['body'] }),
    (e) => isPasserelleError(e, 'ERR_WSS_ALG_NOT_ALLOWED'),
  );
});

test('xmlsec1 verifies an envelope re-serialised by our DOM round trip (serializer keeps canonical content)', async (t) => {
  if (!requirePeer(t, 'xmlsec1')) return;
  const pki = await testPki();
  const signed = signEnvelope(requestEnvelope(), { credential: pki.rsa, clock });
  const again = mutate(signed, () => {});
  assert.equal(xmlsec1Verify(tempDir(t), again, pki.rsa.certificate.toString()).status, 0);
  verifyEnvelope(again, { trust: [pki.ca.certificate], clock });
});

for (const kind of ['rsa', 'ec'] as const) {
  test(`xmlsec1 verifies our ${kind} signature over a Body with repeated payload IDs and characters outside the BMP`, async (t) => {
    if (!requirePeer(t, 'xmlsec1')) return;
    const pki = await testPki();
    const credential = pki[kind];
    const signed = signEnvelope(withPayloadItems(requestEnvelope()), { credential, clock });
    assert.equal(signed.match(/<v1:item ID="1"/g)?.length, 2);
    assert.match(signed, /v1:\u{1F600}n="\u{1F600}"/u);
    verifyEnvelope(signed, { trust: [pki.ca.certificate], clock });
    const dir = tempDir(t);
    const ok = xmlsec1Verify(dir, signed, credential.certificate.toString());
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr, /SignedInfo References \(ok\/all\): 3\/3/);
    // One astral character changed (U+10400 -> U+10401) in text, then in an attribute value: refused.
    for (const [from, to] of [
      ['>\u{1F600} \u{10400}<', '>\u{1F600} \u{10401}<'],
      ['x="\u{10400}\u{1F600}"', 'x="\u{10401}\u{1F600}"'],
    ] as const) {
      const tampered = signed.replace(from, to);
      assert.notEqual(tampered, signed);
      const refused = xmlsec1Verify(dir, tampered, credential.certificate.toString());
      assert.notEqual(refused.status, 0);
      assert.match(refused.stderr, /data and digest do not match/);
    }
  });
}
