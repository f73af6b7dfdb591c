import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import type { ErrorCode } from '../../src/errors.ts';
import { verifyEnvelope } from '../../src/wss/index.ts';
import { _signEnvelope, type SignEnvelopeOptions } from '../../src/wss/sign.ts';
import { NS } from '../../src/xml/namespaces.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { requestEnvelope } from './_helpers.ts';

// signEnvelope writes the Security header as text where the namespace context is plain
// (src/wss/_sign-text.ts) and on the DOM elsewhere. RSA PKCS#1 v1.5 is deterministic: with the
// same ids and clock, both paths must give the same bytes, signature value included.

const pki = await testPki();
const clock = new FrozenClock(TEST_NOW);
const trust = [pki.ca.certificate];
const SOAP = NS.soapenv;
const WSU = NS.wsu;

const ENVELOPES: Record<string, string> = {
  'the seed request': requestEnvelope(),
  'an empty Header, another prefix': `<s:Envelope xmlns:s="${SOAP}"><s:Header/><s:Body><a xmlns="urn:a">x</a></s:Body></s:Envelope>`,
  'no Header, a Body with its own declarations and a single-quoted attribute': `<s:Envelope xmlns:s="${SOAP}"><s:Body xmlns:b="urn:b" b:x='1'><b:a/></s:Body></s:Envelope>`,
  'a declaration, CRLF, a comment, spaces in tags, a Header with content and declarations': `<?xml version="1.0"?>\r\n<!-- c --><S:Envelope  xmlns:z="urn:z" xmlns:S="${SOAP}" ><S:Header xmlns:h="urn:h" ><h:x a="&amp;&quot;"/></S:Header><S:Body>t &amp; &lt;</S:Body></S:Envelope>`,
  'a Body already carrying a wsu:Id': `<S:Envelope xmlns:S="${SOAP}"><S:Body wsu:Id="mine" xmlns:wsu="${WSU}">t</S:Body></S:Envelope>`,
  'a Body with an Id and a payload repeating ID, characters outside the BMP': `<S:Envelope xmlns:S="${SOAP}"><S:Body Id="b1"><x xmlns="urn:x" ID="1" a="\u{1F600}"/><x xmlns="urn:x" ID="1">\u{10400}</x></S:Body></S:Envelope>`,
  // The DOM path: a prefix the header declares bound elsewhere, a default namespace, a relative URI...
  'ds bound to another namespace on the Envelope': `<S:Envelope xmlns:S="${SOAP}" xmlns:ds="urn:other"><S:Body/></S:Envelope>`,
  'wsu bound on the Header': `<S:Envelope xmlns:S="${SOAP}"><S:Header xmlns:wsu="${WSU}"/><S:Body/></S:Envelope>`,
  'a default-namespace Envelope': `<Envelope xmlns="${SOAP}"><Body/></Envelope>`,
  'a default namespace on the Header': `<S:Envelope xmlns:S="${SOAP}"><S:Header xmlns="urn:h"/><S:Body/></S:Envelope>`,
  'a namespace URI with an ampersand': `<S:Envelope xmlns:S="${SOAP}" xmlns:q="urn:a?b&amp;c"><S:Body/></S:Envelope>`,
  'the Envelope prefix rebound on the Header': `<S:Envelope xmlns:S="${SOAP}"><T:Header xmlns:T="${SOAP}" xmlns:S="urn:not-soap"/><S:Body/></S:Envelope>`,
  'a Security header for another actor': `<S:Envelope xmlns:S="${SOAP}"><S:Header><wsse:Security xmlns:wsse="${NS.wsse}" S:actor="urn:other"/></S:Header><S:Body/></S:Envelope>`,
  'an empty Security header already there': `<S:Envelope xmlns:S="${SOAP}"><S:Header><wsse:Security xmlns:wsse="${NS.wsse}"/></S:Header><S:Body/></S:Envelope>`,
};

function both(xml: string, options: Omit<SignEnvelopeOptions, 'idGenerator'>): [string, string] {
  const run = (asText: boolean) => {
    let n = 0;
    return _signEnvelope(xml, { ...options, idGenerator: (kind) => `${kind}-${n++}` }, asText);
  };
  return [run(true), run(false)];
}

for (const [name, xml] of Object.entries(ENVELOPES)) {
  test(`the text and DOM paths sign ${name} to the same bytes, which verify`, () => {
    for (const inclusiveNamespaces of [true, false]) {
      const [text, dom] = both(xml, { credential: pki.rsa, clock, inclusiveNamespaces });
      assert.equal(text, dom);
      const v = verifyEnvelope(text, { trust, clock });
      assert.deepEqual(v.signedParts, ['timestamp', 'body', 'bst']);
    }
  });
}

test('a non-ASCII prefix in scope: both paths sign alike without PrefixLists, and refuse alike with them', () => {
  const xml = `<S:Envelope xmlns:S="${SOAP}" xmlns:é="urn:e"><S:Body/></S:Envelope>`;
  const [text, dom] = both(xml, { credential: pki.rsa, clock, inclusiveNamespaces: false });
  assert.equal(text, dom);
  for (const asText of [true, false])
    throwsCode(() => _signEnvelope(xml, { credential: pki.rsa, clock }, asText), 'ERR_WSS_MALFORMED');
});

test('the text path signs with P-256 too (a fresh ECDSA value each time, both verify)', () => {
  const [text, dom] = both(requestEnvelope(), { credential: pki.ec, clock });
  const strip = (s: string) => s.replace(/<ds:SignatureValue>[^<]*</, '<ds:SignatureValue><');
  assert.equal(strip(text), strip(dom));
  for (const xml of [text, dom]) verifyEnvelope(xml, { trust, clock });
});

test('both paths refuse what they cannot sign with the same codes', () => {
  const cases: [string, ErrorCode][] = [
    [`<S:Envelope xmlns:S="${SOAP}"><S:Body Id="a"/><S:Body/></S:Envelope>`, 'ERR_WSS_MALFORMED'],
    [
      `<S:Envelope xmlns:S="${SOAP}"><S:Header><wsse:Security xmlns:wsse="${NS.wsse}"/><wsse:Security xmlns:wsse="${NS.wsse}"/></S:Header><S:Body/></S:Envelope>`,
      'ERR_WSS_MULTIPLE_SECURITY',
    ],
    [`<S:Envelope xmlns:S="${SOAP}" xmlns:r="relative"><S:Body/></S:Envelope>`, 'ERR_XML_RELATIVE_NAMESPACE'],
    [
      `<S:Envelope xmlns:S="${SOAP}" xmlns:wsu="${WSU}"><S:Header wsu:Id="x"/><S:Body wsu:Id="x"/></S:Envelope>`,
      'ERR_WSS_DUPLICATE_ID',
    ],
  ];
  cases.push([
    `<S:Envelope xmlns:S="${SOAP}"><S:Body Id="b-1"><x xmlns="urn:x" ID="b-1"/></S:Body></S:Envelope>`,
    'ERR_WSS_DUPLICATE_ID',
  ]);
  for (const [xml, code] of cases) {
    for (const asText of [true, false])
      throwsCode(() => _signEnvelope(xml, { credential: pki.rsa, clock }, asText), code);
  }
});
