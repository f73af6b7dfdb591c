import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { signEnvelope, verifyEnvelope } from '../../src/wss/index.ts';
import { childElements } from '../../src/xml/dom.ts';
import { NS } from '../../src/xml/namespaces.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { partsOf, requestEnvelope, withPayloadItems } from './_helpers.ts';

const pki = await testPki();
const clock = new FrozenClock(TEST_NOW);
const trust = [pki.ca.certificate];

test('signs as PROTOCOLS.md §3: BST, Timestamp (ms, Z, 300 s), Signature over TS, Body, BST with the seed PrefixLists', () => {
  const xml = signEnvelope(requestEnvelope(), { credential: pki.rsa, clock });
  const p = partsOf(parseXml(xml));
  assert.equal(p.security.getAttributeNS(NS.soapenv, 'mustUnderstand'), '1');
  assert.deepEqual(
    childElements(p.security).map((e) => e.localName),
    ['BinarySecurityToken', 'Signature', 'Timestamp'],
  );
  assert.deepEqual(
    childElements(p.timestamp).map((e) => e.textContent),
    ['2026-06-15T10:00:00.000Z', '2026-06-15T10:05:00.000Z'],
  );
  const lists = [
    ...Array.from({ length: 4 }, (_, i) =>
      p.signedInfo.getElementsByTagNameNS(NS.ec, 'InclusiveNamespaces').item(i)!.getAttribute('PrefixList'),
    ),
  ];
  assert.deepEqual(lists, ['soapenv v1 xsi', 'wsse soapenv v1 xsi', 'v1 xsi', '']);
  assert.equal(
    p.signedInfo.getElementsByTagNameNS(NS.ds, 'SignatureMethod').item(0)!.getAttribute('Algorithm'),
    'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  );
  const v = verifyEnvelope(xml, { trust, clock });
  assert.deepEqual(v.signedParts, ['timestamp', 'body', 'bst']);
  assert.equal(v.timestamp?.expires.toISOString(), '2026-06-15T10:05:00.000Z');
});

test('EC keys sign ECDSA-SHA256 with a raw 64-byte r‖s value', () => {
  const xml = signEnvelope(requestEnvelope(), { credential: pki.ec, clock });
  const p = partsOf(parseXml(xml));
  assert.equal(
    p.signedInfo.getElementsByTagNameNS(NS.ds, 'SignatureMethod').item(0)!.getAttribute('Algorithm'),
    'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  );
  assert.equal(Buffer.from(verifyEnvelope(xml, { trust, clock }).signatureValue, 'base64').length, 64);
});

test('a default-namespace envelope gets a Header, a declared soapenv prefix for mustUnderstand and "#default" in the lists', () => {
  const xml = signEnvelope(requestEnvelope({ prefix: null, header: false }), { credential: pki.rsa, clock });
  const p = partsOf(parseXml(xml));
  assert.equal(p.header.prefix, null);
  assert.equal(p.security.getAttributeNS(NS.soapenv, 'mustUnderstand'), '1');
  assert.match(xml, /PrefixList="wsse soapenv #default v1 xsi"/);
  verifyEnvelope(xml, { trust, clock });
});

test('without inclusive namespaces no InclusiveNamespaces element is written', () => {
  const xml = signEnvelope(requestEnvelope(), { credential: pki.ec, clock, inclusiveNamespaces: false });
  assert.doesNotMatch(xml, /InclusiveNamespaces/);
  verifyEnvelope(xml, { trust, clock });
});

test('ids are fresh, unique and take the caller prefix; a conflicting wsu prefix is not reused', () => {
  const input = requestEnvelope().replace('<v1:request ', '<v1:request xmlns:wsu="urn:not-wsu" ');
  const a = signEnvelope(input, { credential: pki.rsa, clock, idPrefix: 'p_' });
  const b = signEnvelope(input, { credential: pki.rsa, clock, idPrefix: 'p_' });
  const ids = (x: string) => [...x.matchAll(/ (?:wsu:|wsu1:)?Id="([^"]+)"/g)].map((m) => m[1]!);
  assert.equal(new Set(ids(a)).size, 6);
  assert.ok(ids(a).every((id) => id.startsWith('p_')));
  assert.ok(!ids(a).some((id) => ids(b).includes(id)));
  verifyEnvelope(a, { trust, clock });
  let n = 0;
  const fixed = signEnvelope(input, { credential: pki.rsa, clock, idGenerator: (kind) => `${kind}-${n++}` });
  assert.match(fixed, /URI="#timestamp-1"/);
  assert.throws(
    () => signEnvelope(input, { credential: pki.rsa, clock, idGenerator: () => 'same' }),
    TypeError,
  );
});

test('an existing Security header is reused; an already signed envelope is refused', () => {
  const withSecurity = requestEnvelope().replace(
    '<soapenv:Header/>',
    '<soapenv:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"/></soapenv:Header>',
  );
  const xml = signEnvelope(withSecurity, { credential: pki.rsa, clock });
  assert.equal(partsOf(parseXml(xml)).header.getElementsByTagNameNS(NS.wsse, 'Security').length, 1);
  verifyEnvelope(xml, { trust, clock });
  assert.throws(
    () => signEnvelope(xml, { credential: pki.rsa, clock }),
    (e) => isPasserelleError(e, 'ERR_WSS_MALFORMED'),
  );
});

test('caller mistakes are TypeErrors; input that is no envelope is ERR_WSS_MALFORMED', () => {
  const env = requestEnvelope();
  assert.throws(() => signEnvelope(env, { credential: pki.rsa, clock, ttlSeconds: 301 }), TypeError);
  assert.throws(() => signEnvelope(env, { credential: pki.rsa, clock, ttlSeconds: 0 }), TypeError);
  assert.throws(
    () => signEnvelope(env, { credential: pki.rsa, clock, signatureAlgorithm: 'ecdsa-sha256' }),
    TypeError,
  );
  assert.throws(() => signEnvelope(env, { credential: pki.rsa, clock, idPrefix: '1x' }), TypeError);
  assert.throws(
    () => signEnvelope('<a/>', { credential: pki.rsa, clock }),
    (e) => isPasserelleError(e, 'ERR_WSS_MALFORMED'),
  );
  assert.throws(
    () => signEnvelope('<!DOCTYPE a><a/>', { credential: pki.rsa, clock }),
    (e) => isPasserelleError(e, 'ERR_XML_DOCTYPE'),
  );
  const short = signEnvelope(env, { credential: pki.rsa, clock, ttlSeconds: 60 });
  assert.match(short, /<wsu:Expires>2026-06-15T10:01:00.000Z</);
});

test('a Body whose payload repeats its own ID attributes is signed (issue 17) and verifies', () => {
  const input = withPayloadItems(requestEnvelope());
  for (const credential of [pki.rsa, pki.ec]) {
    const xml = signEnvelope(input, { credential, clock });
    assert.equal(xml.match(/ ID="1"/g)?.length, 2);
    assert.match(xml, /\u{10400}x="\u{10400}\u{1F600}">\u{1F600} \u{10400}</u);
    assert.deepEqual(verifyEnvelope(xml, { trust, clock }).signedParts, ['timestamp', 'body', 'bst']);
  }
});

test('generated ids never take a value the envelope already carries, repeated or not', () => {
  const input = withPayloadItems(
    requestEnvelope(),
    '<v1:item ID="timestamp-0"/><v1:item ID="timestamp-0"/><v1:item Id="body-0"/>',
  );
  for (const taken of ['timestamp', 'body'] as const) {
    assert.throws(
      () =>
        signEnvelope(input, {
          credential: pki.rsa,
          clock,
          idGenerator: (kind) => (kind === taken ? `${kind}-0` : `${kind}-x`),
        }),
      { name: 'TypeError', message: new RegExp(`invalid or used id for ${taken}`) },
    );
  }
  verifyEnvelope(signEnvelope(input, { credential: pki.rsa, clock, idGenerator: (kind) => `${kind}-x` }), {
    trust,
    clock,
  });
});

test('a Body id that a payload element repeats cannot be signed: ERR_WSS_DUPLICATE_ID', () => {
  const plain = withPayloadItems(requestEnvelope(), '<v1:item ID="b-1"/>').replace(
    '<soapenv:Body>',
    '<soapenv:Body Id="b-1">',
  );
  throwsCode(() => signEnvelope(plain, { credential: pki.rsa, clock }), 'ERR_WSS_DUPLICATE_ID');
  const wsu = withPayloadItems(requestEnvelope(), '<v1:item ID="b-1"/>').replace(
    '<soapenv:Body>',
    `<soapenv:Body xmlns:wsu="${NS.wsu}" wsu:Id="b-1">`,
  );
  throwsCode(() => signEnvelope(wsu, { credential: pki.rsa, clock }), 'ERR_WSS_DUPLICATE_ID');
});
