import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { signAssertionElement } from '../../src/sandbox/sts/_sign-assertion.ts';
import { requestToken } from '../../src/sts/request-token.ts';
import type { Transport } from '../../src/transport/types.ts';
import { signHokEnvelope } from '../../src/wss/sign-hok.ts';
import { verifyHokEnvelope } from '../../src/wss/verify-hok.ts';
import { childElements } from '../../src/xml/dom.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { serializeXml } from '../../src/xml/serialize.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { brokeredRequest, oddSerialize, stsKeys, testAssertion } from '../saml/_fixtures.ts';

const clock = new FrozenClock(TEST_NOW);

/** A transport that answers every POST with `reply` and records what was sent. */
function fakeStsTransport(reply: string): Transport & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    post: async (_url, o) => {
      sent.push(String(o.body));
      return {
        status: 200,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: Buffer.from(reply, 'utf8'),
      };
    },
    postStream: () => Promise.reject(new Error('unused')),
    request: () => Promise.reject(new Error('unused')),
    requestStream: () => Promise.reject(new Error('unused')),
    close: async () => {},
  };
}

const rstr = (assertion: string, envelopeNs = '') =>
  `<?xml version='1.0' encoding='UTF-8'?>\n<S:Envelope xmlns:S = "http://schemas.xmlsoap.org/soap/envelope/"${envelopeNs}>\n  <S:Body>\n    <wst:RequestSecurityTokenResponse Context = "RC-1" xmlns:wst="http://docs.oasis-open.org/ws-sx/ws-trust/200512">\n      <wst:RequestedSecurityToken>${assertion}</wst:RequestedSecurityToken>\n    </wst:RequestSecurityTokenResponse>\n  </S:Body>\n</S:Envelope>\n`;

test('an assertion with single quotes, odd whitespace, reordered attributes and an extra namespace declaration travels byte-exact and still verifies', async () => {
  const pki = await testPki();
  const { sts } = await stsKeys();
  const issued = await testAssertion();
  const odd = oddSerialize(issued.element);
  assert.match(odd, /AssertionID =\t'_/);
  assert.match(odd, /xmlns:unused-extra = 'urn:example:unused'/);
  const transport = fakeStsTransport(rstr(odd));
  const token = await requestToken({
    transport,
    url: 'https://sts.test/IAM/SecurityTokenService/v1',
    credential: pki.rsa,
    clock,
    stsTrust: [sts.certificate],
  });
  assert.equal(token.assertionXml, odd, 'the client keeps the exact text it received');
  assert.equal(transport.sent.length, 1);
  assert.match(transport.sent[0]!, /<wst:UseKey><wsse:BinarySecurityToken /);

  const signed = signHokEnvelope(brokeredRequest(), { token, credential: pki.rsa, clock });
  const at = signed.indexOf(odd);
  assert.ok(at > 0, 'the sent envelope contains the assertion bytes unchanged');
  assert.equal(signed.indexOf(odd, at + 1), -1);
  assert.equal(Buffer.from(signed, 'utf8').includes(Buffer.from(odd, 'utf8')), true);
  const v = verifyHokEnvelope(signed, { stsTrust: [sts.certificate], clock });
  assert.equal(v.assertion.assertionId, issued.assertionId);
  assert.ok(v.signer.raw.equals(pki.rsa.certificate.raw));
});

test('an assertion relying on a prefix declared on the response Envelope: redeclared on Security, bytes unchanged, verifies', async () => {
  const pki = await testPki();
  const { sts } = await stsKeys();
  const issued = await testAssertion({ holder: pki.ec });
  // The same assertion with saml: prefixed elements whose declaration sits outside it, re-signed.
  const prefixed = issued.xml
    .replace(' xmlns="urn:oasis:names:tc:SAML:1.0:assertion"', '')
    .replace(/<(\/?)(?=[A-Z])/g, '<$1saml:');
  const doc = parseXml(`<w xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion">${prefixed}</w>`);
  const assertion = childElements(doc.documentElement!)[0]!;
  assertion.removeChild(childElements(assertion).at(-1)!);
  signAssertionElement(assertion, issued.assertionId, sts);
  const text = serializeXml(assertion);
  assert.ok(text.startsWith('<saml:Assertion ') && !text.includes('xmlns:saml'));
  const transport = fakeStsTransport(rstr(text, ' xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion"'));
  const token = await requestToken({
    transport,
    url: 'https://sts.test/x',
    credential: pki.ec,
    clock,
    stsTrust: [sts.certificate],
  });
  assert.equal(token.assertionXml, text);
  assert.deepEqual(token.inheritedNamespaces, { saml: 'urn:oasis:names:tc:SAML:1.0:assertion' });
  const signed = signHokEnvelope(brokeredRequest(), { token, credential: pki.ec, clock });
  assert.ok(signed.includes(text));
  assert.match(signed, /<wsse:Security [^>]*xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion"/);
  const v = verifyHokEnvelope(signed, { stsTrust: [sts.certificate], clock });
  assert.equal(v.assertion.assertionId, issued.assertionId);
});

test('the HOK credential must be the confirmation key of the token: ERR_SAML_KEY_MISMATCH before anything is sent', async () => {
  const pki = await testPki();
  const issued = await testAssertion();
  assert.throws(
    () =>
      signHokEnvelope(brokeredRequest(), {
        token: { assertionXml: issued.xml, assertionId: issued.assertionId },
        credential: pki.ec,
        clock,
      }),
    (e) => isPasserelleError(e, 'ERR_SAML_KEY_MISMATCH'),
  );
});

test('a token text that is not exactly one assertion element is refused: ERR_SAML_INVALID', async () => {
  const pki = await testPki();
  const issued = await testAssertion();
  for (const assertionXml of [`${issued.xml}<x/>`, issued.xml.slice(0, -5), '<a>text</a>']) {
    assert.throws(
      () =>
        signHokEnvelope(brokeredRequest(), {
          token: { assertionXml, assertionId: issued.assertionId },
          credential: pki.rsa,
          clock,
        }),
      (e) => isPasserelleError(e, 'ERR_SAML_INVALID'),
    );
  }
});
