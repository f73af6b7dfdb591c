import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { decodeStsReply } from '../../src/sts/decode-sts-reply.ts';
import { parseRstr } from '../../src/sts/parse-rstr.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { stsKeys, testAssertion } from '../saml/_fixtures.ts';

const clock = new FrozenClock(TEST_NOW);
const env = (body: string) =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const rstr = (inner: string, attrs = '') =>
  env(
    `<wst:RequestSecurityTokenResponse xmlns:wst="http://docs.oasis-open.org/ws-sx/ws-trust/200512"${attrs}>${inner}</wst:RequestSecurityTokenResponse>`,
  );

test('a WS-Trust fault is ERR_STS_FAULT with the faultcode and faultstring as details', async () => {
  const pki = await testPki();
  const { sts } = await stsKeys();
  const fault = env(
    '<soapenv:Fault xmlns:wst="http://docs.oasis-open.org/ws-sx/ws-trust/200512"><faultcode>wst:FailedAuthentication</faultcode><faultstring>Authentication failed</faultstring></soapenv:Fault>',
  );
  assert.throws(
    () => parseRstr(fault, { holder: pki.rsa.certificate, claims: [], stsTrust: [sts.certificate] }),
    (e) =>
      isPasserelleError(e, 'ERR_STS_FAULT') &&
      e.details['faultcode'] === 'wst:FailedAuthentication' &&
      /certificate/.test(e.hint ?? ''),
  );
});

test('a response collection with one RSTR is accepted; a SignChallenge is returned with its Context', async () => {
  const pki = await testPki();
  const a = await testAssertion();
  const { sts } = await stsKeys();
  const trusted = { stsTrust: [sts.certificate], clock };
  const coll = env(
    `<wst:RequestSecurityTokenResponseCollection xmlns:wst="http://docs.oasis-open.org/ws-sx/ws-trust/200512"><wst:RequestSecurityTokenResponse><wst:RequestedSecurityToken>${a.xml}</wst:RequestedSecurityToken></wst:RequestSecurityTokenResponse></wst:RequestSecurityTokenResponseCollection>`,
  );
  const r = parseRstr(coll, { holder: pki.rsa.certificate, claims: ['urn:x'], ...trusted });
  assert.equal(r.kind === 'token' && r.token.assertionXml, a.xml);
  const ch = parseRstr(
    rstr('<wst:SignChallenge><wst:Challenge> abc </wst:Challenge></wst:SignChallenge>', ' Context="RC-9"'),
    { holder: pki.rsa.certificate, claims: [], ...trusted },
  );
  assert.deepEqual(ch, { kind: 'challenge', context: 'RC-9', challenge: 'abc' });
});

test('invalid responses: ERR_STS_RESPONSE_INVALID (no token, two tokens, another token type, empty challenge); not UTF-8: ERR_XML_ENCODING / ERR_XML_UNSUPPORTED_ENCODING', async () => {
  const pki = await testPki();
  const a = await testAssertion();
  const { sts } = await stsKeys();
  const opts = { holder: pki.rsa.certificate, claims: [], stsTrust: [sts.certificate], clock };
  for (const bad of [
    rstr('<wst:RequestedSecurityToken/>'),
    rstr(
      `<wst:RequestedSecurityToken>${a.xml}${a.xml.replace(a.assertionId, '_other')}</wst:RequestedSecurityToken>`,
    ),
    rstr(
      `<wst:TokenType>urn:oasis:names:tc:SAML:2.0:assertion</wst:TokenType><wst:RequestedSecurityToken>${a.xml}</wst:RequestedSecurityToken>`,
    ),
    rstr('<wst:SignChallenge><wst:Challenge/></wst:SignChallenge>'),
    env('<x:Other xmlns:x="urn:x"/>'),
  ]) {
    assert.throws(
      () => parseRstr(bad, opts),
      (e) => isPasserelleError(e, 'ERR_STS_RESPONSE_INVALID'),
      bad.slice(0, 200),
    );
  }
  assert.throws(
    () => decodeStsReply(Buffer.from([0x3c, 0x61, 0xff, 0x3e])),
    (e) => isPasserelleError(e, 'ERR_XML_ENCODING'),
  );
  assert.throws(
    () => decodeStsReply(Buffer.from("<?xml version='1.0' encoding='ISO-8859-1'?><a/>")),
    (e) => isPasserelleError(e, 'ERR_XML_UNSUPPORTED_ENCODING'),
  );
  assert.throws(
    () => decodeStsReply("<?xml version='1.0' encoding='ISO-8859-1'?><a/>"),
    (e) => isPasserelleError(e, 'ERR_XML_UNSUPPORTED_ENCODING'),
    'a string declaring another encoding too',
  );
});

test('an assertion confirming another key than the request UseKey: ERR_SAML_KEY_MISMATCH; verified on receipt with stsTrust', async () => {
  const pki = await testPki();
  const { rogueSts, sts } = await stsKeys();
  const a = await testAssertion();
  assert.throws(
    () =>
      parseRstr(rstr(`<wst:RequestedSecurityToken>${a.xml}</wst:RequestedSecurityToken>`), {
        holder: pki.ec.certificate,
        claims: [],
        stsTrust: [sts.certificate],
        clock,
      }),
    (e) => isPasserelleError(e, 'ERR_SAML_KEY_MISMATCH'),
  );
  const r = parseRstr(rstr(`<wst:RequestedSecurityToken>${a.xml}</wst:RequestedSecurityToken>`), {
    holder: pki.rsa.certificate,
    claims: [],
    stsTrust: [sts.certificate],
    clock,
  });
  assert.equal(r.kind, 'token');
  assert.throws(
    () =>
      parseRstr(rstr(`<wst:RequestedSecurityToken>${a.xml}</wst:RequestedSecurityToken>`), {
        holder: pki.rsa.certificate,
        claims: [],
        stsTrust: [rogueSts.certificate],
        clock,
      }),
    (e) => isPasserelleError(e, 'ERR_SAML_UNTRUSTED_ISSUER'),
  );
});

test('the assertion text is cut exactly even after comments, CDATA and ">" inside attribute values', async () => {
  const pki = await testPki();
  const { sts } = await stsKeys();
  const a = await testAssertion();
  const reply = rstr(
    `<!-- <Assertion> --><x:note xmlns:x="urn:x" v="a>b"><![CDATA[<Assertion>]]></x:note><wst:RequestedSecurityToken>${a.xml}</wst:RequestedSecurityToken>`,
    ' Context="c>d"',
  );
  const r = parseRstr(reply, { holder: pki.rsa.certificate, claims: [], stsTrust: [sts.certificate], clock });
  assert.equal(r.kind === 'token' && r.token.assertionXml, a.xml);
});
