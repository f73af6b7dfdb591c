import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { SAML1 } from '../../src/saml/constants.ts';
import { signHokEnvelope } from '../../src/wss/sign-hok.ts';
import { verifyHokEnvelope } from '../../src/wss/verify-hok.ts';
import { attributeValue, childElements } from '../../src/xml/dom.ts';
import { NS } from '../../src/xml/namespaces.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { DEBIAN_PYTHON, requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { brokeredRequest, signedHok, stsKeys, testAssertion } from '../saml/_fixtures.ts';

const clock = new FrozenClock(TEST_NOW);
const PEER = new URL('../vectors/saml/xmlsec_verify_hok.py', import.meta.url).pathname;

test('the Security header holds the assertion, the Signature, then the Timestamp (platform example order), mustUnderstand="1"', async () => {
  const { xml } = await signedHok();
  const doc = parseXml(xml);
  const header = childElements(doc.documentElement!)[0]!;
  const security = childElements(header, NS.wsse, 'Security')[0]!;
  assert.equal(attributeValue(security, NS.soapenv, 'mustUnderstand'), '1');
  assert.deepEqual(
    childElements(security).map((c) => `${c.namespaceURI}|${c.localName}`),
    [`${SAML1.ns}|Assertion`, `${NS.ds}|Signature`, `${NS.wsu}|Timestamp`],
  );
  const refs = security.getElementsByTagNameNS(NS.ds, 'Reference');
  const body = childElements(doc.documentElement!)[1]!;
  const ts = childElements(security, NS.wsu, 'Timestamp')[0]!;
  const messageRefs = [...Array(refs.length).keys()]
    .map((i) => refs.item(i)!)
    .filter((r) => r.parentNode?.parentNode?.parentNode === security);
  assert.deepEqual(
    messageRefs.map((r) => r.getAttribute('URI')),
    [`#${attributeValue(body, NS.wsu, 'Id')}`, `#${attributeValue(ts, NS.wsu, 'Id')}`],
  );
  assert.match(xml, /<ec:InclusiveNamespaces PrefixList="[^"]*urn1[^"]*"/);
});

test('the timestamp lives 300 s by default and ttlSeconds above 300 is a TypeError', async () => {
  const pki = await testPki();
  const a = await testAssertion();
  const token = { assertionXml: a.xml, assertionId: a.assertionId };
  const v = verifyHokEnvelope(signHokEnvelope(brokeredRequest(), { token, credential: pki.rsa, clock }), {
    stsTrust: [(await stsKeys()).sts.certificate],
    clock,
  });
  assert.equal(v.timestamp.expires.getTime() - v.timestamp.created.getTime(), 300_000);
  assert.throws(
    () => signHokEnvelope(brokeredRequest(), { token, credential: pki.rsa, clock, ttlSeconds: 301 }),
    TypeError,
  );
});

test('an envelope that already carries a Security header is refused: ERR_WSS_MALFORMED', async () => {
  const pki = await testPki();
  const { xml, issued } = await signedHok();
  assert.throws(
    () =>
      signHokEnvelope(xml.replace(issued.xml, ''), {
        token: { assertionXml: issued.xml, assertionId: issued.assertionId },
        credential: pki.rsa,
        clock,
      }),
    (e) => isPasserelleError(e, 'ERR_WSS_MALFORMED'),
  );
});

for (const kind of ['rsa', 'ec'] as const) {
  test(`python3-xmlsec verifies our ${kind} holder-of-key message: message signature with the holder certificate, assertion with the STS certificate`, async (t) => {
    if (!requirePeer(t, 'python3-xmlsec')) return;
    const pki = await testPki();
    const { xml, sts } = await signedHok({ holder: pki[kind] });
    const dir = tempDir(t);
    writeFileSync(join(dir, 'msg.xml'), xml);
    writeFileSync(join(dir, 'holder.pem'), pki[kind].certificate.toString());
    writeFileSync(join(dir, 'other.pem'), (kind === 'rsa' ? pki.ec : pki.rsa).certificate.toString());
    writeFileSync(join(dir, 'sts.pem'), sts.certificate.toString());
    const ok = runPeer(DEBIAN_PYTHON, [
      PEER,
      join(dir, 'msg.xml'),
      join(dir, 'holder.pem'),
      join(dir, 'sts.pem'),
    ]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), 'OK');
    assert.notEqual(
      runPeer(DEBIAN_PYTHON, [PEER, join(dir, 'msg.xml'), join(dir, 'other.pem'), join(dir, 'sts.pem')])
        .status,
      0,
    );
    writeFileSync(join(dir, 'tampered.xml'), xml.replace('>Hello World<', '>Hello Mars<'));
    assert.notEqual(
      runPeer(DEBIAN_PYTHON, [PEER, join(dir, 'tampered.xml'), join(dir, 'holder.pem'), join(dir, 'sts.pem')])
        .status,
      0,
    );
  });
}
