import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isPasserelleError } from '../../../src/errors.ts';
import { readAssertion } from '../../../src/saml/read-assertion.ts';
import { verifyAssertion } from '../../../src/saml/verify-assertion.ts';
import { buildRstEnvelope, newContext } from '../../../src/sts/_build-rst.ts';
import { requestToken } from '../../../src/sts/request-token.ts';
import { StsTokenCache } from '../../../src/sts/token-cache.ts';
import { signEnvelope } from '../../../src/wss/sign.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { DEBIAN_PYTHON, requirePeer, runPeer } from '../../_support/peers.ts';
import { tempDir } from '../../_support/tmp.ts';
import { startStsSandbox } from './_sts-sandbox.ts';

const s = await startStsSandbox({ after }, { lifetimeSeconds: 1800 });
const { partner } = s.sandbox.pki;
const PEER = new URL('../../vectors/saml/xmlsec_verify_assertion.py', import.meta.url).pathname;

test('the sandbox STS issues a SAML 1.1 HOK assertion over mutual TLS: STS-signed, CBE attributes, confirmation = UseKey', async () => {
  const before = s.stats()['tokensIssued'] ?? 0;
  const token = await requestToken({
    transport: s.transport,
    url: s.url,
    credential: partner.signing,
    clock: s.clock,
    stsTrust: [s.sandbox.pki.sts.certificate],
  });
  assert.equal(s.stats()['tokensIssued'], before + 1);
  assert.equal(token.issuer, 'urn:be:fgov:ehealth:sts:1_0');
  assert.equal(token.notOnOrAfter.getTime() - s.clock.now(), 1800_000);
  assert.ok(token.assertionXml.startsWith('<Assertion ') && token.assertionXml.endsWith('</Assertion>'));
  assert.deepEqual(token.inheritedNamespaces, {});
  const doc = parseXml(token.assertionXml);
  const v = verifyAssertion(doc.documentElement!, {
    stsTrust: [s.sandbox.pki.sts.certificate],
    clock: s.clock,
  });
  assert.equal(v.assertionId, token.assertionId);
  assert.equal(v.authenticationMethod, 'urn:oasis:names:tc:SAML:1.0:am:X509-PKI');
  assert.deepEqual(
    v.attributes.map((a) => [a.name, a.values[0]]),
    [
      ['urn:be:fgov:kbo-bce:organization:cbe-number', partner.cbe],
      ['urn:be:fgov:ehealth:1.0:certificateholder:enterprise:cbe-number', partner.cbe],
    ],
  );
  assert.ok(v.confirmationCertificate.raw.equals(partner.signing.certificate.raw));
  assert.throws(
    () =>
      verifyAssertion(doc.documentElement!, {
        stsTrust: [s.sandbox.pki.platformSigning.certificate],
        clock: s.clock,
      }),
    (e) => isPasserelleError(e, 'ERR_SAML_UNTRUSTED_ISSUER'),
  );
});

test('python3-xmlsec verifies the enveloped signature of a sandbox-issued assertion (AssertionID registered as id)', async (t) => {
  if (!requirePeer(t, 'python3-xmlsec')) return;
  const token = await requestToken({
    transport: s.transport,
    url: s.url,
    credential: partner.signing,
    clock: s.clock,
    stsTrust: [s.sandbox.pki.sts.certificate],
  });
  const dir = tempDir(t);
  writeFileSync(join(dir, 'assertion.xml'), token.assertionXml);
  writeFileSync(join(dir, 'sts.pem'), s.sandbox.pki.sts.certificate.toString());
  writeFileSync(join(dir, 'other.pem'), s.sandbox.pki.platformSigning.certificate.toString());
  const ok = runPeer(DEBIAN_PYTHON, [PEER, join(dir, 'assertion.xml'), join(dir, 'sts.pem')]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), 'OK');
  assert.notEqual(
    runPeer(DEBIAN_PYTHON, [PEER, join(dir, 'assertion.xml'), join(dir, 'other.pem')]).status,
    0,
    'xmlsec must use the given key',
  );
  writeFileSync(join(dir, 'tampered.xml'), token.assertionXml.replace(`>${partner.cbe}<`, '>0999999995<'));
  assert.notEqual(
    runPeer(DEBIAN_PYTHON, [PEER, join(dir, 'tampered.xml'), join(dir, 'sts.pem')]).status,
    0,
    'xmlsec must reject a changed attribute',
  );
});

test('an unknown claim is refused with a WS-Trust fault wst:InvalidRequest: ERR_STS_FAULT', async () => {
  await assert.rejects(
    requestToken({
      transport: s.transport,
      url: s.url,
      credential: partner.signing,
      clock: s.clock,
      stsTrust: [s.sandbox.pki.sts.certificate],
      claims: ['urn:be:fgov:person:ssin'],
    }),
    (e) => isPasserelleError(e, 'ERR_STS_FAULT') && e.details['faultcode'] === 'wst:InvalidRequest',
  );
  assert.ok(
    s.log.entries.some(
      (l) => l.msg === 'STS request refused' && String(l.fields['reason']).startsWith('unknown claim'),
    ),
  );
});

test('a UseKey certificate other than the signer is refused: wst:FailedAuthentication (ERR_STS_FAULT)', async () => {
  const envelope = signEnvelope(
    buildRstEnvelope(partner.signing, ['urn:be:fgov:kbo-bce:organization:cbe-number'], newContext()),
    { credential: partner.oauth, clock: s.clock },
  );
  const res = await s.transport.post(s.url, {
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    body: envelope,
  });
  assert.equal(res.status, 500);
  assert.match(res.body.toString(), /<faultcode>wst:FailedAuthentication<\/faultcode>/);
  assert.ok(
    s.log.entries.some((l) => l.fields['reason'] === 'the UseKey certificate is not the signer certificate'),
  );
});

test('an unsigned RST is refused: wst:FailedAuthentication', async () => {
  const res = await s.transport.post(s.url, {
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: buildRstEnvelope(partner.signing, ['urn:be:fgov:kbo-bce:organization:cbe-number'], newContext()),
  });
  assert.equal(res.status, 500);
  assert.match(res.body.toString(), /wst:FailedAuthentication/);
});

test('an RST whose bytes are not UTF-8 is refused as wst:InvalidRequest (ERR_XML_ENCODING), before any signature check', async () => {
  const signed = signEnvelope(
    buildRstEnvelope(partner.signing, ['urn:be:fgov:kbo-bce:organization:cbe-number'], newContext()),
    { credential: partner.signing, clock: s.clock },
  );
  for (const [body, code] of [
    [Buffer.concat([Buffer.from(signed), Buffer.from([0xff])]), 'ERR_XML_ENCODING'],
    [`<?xml version="1.0" encoding="ISO-8859-1"?>${signed}`, 'ERR_XML_UNSUPPORTED_ENCODING'],
  ] as const) {
    const res = await s.transport.post(s.url, {
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
      body,
    });
    assert.equal(res.status, 500);
    assert.match(res.body.toString(), /<faultcode>wst:InvalidRequest<\/faultcode>/);
    assert.ok(
      s.log.entries.some((l) => l.fields['reason'] === `request signature: ${code}`),
      code,
    );
  }
});

test('a SignChallenge is answered: signed SignChallengeResponse with the same Context, then the token', async (t) => {
  const c = await startStsSandbox(t, { signChallenge: true });
  const token = await requestToken({
    transport: c.transport,
    url: c.url,
    credential: c.sandbox.pki.partner.signing,
    clock: c.clock,
    stsTrust: [c.sandbox.pki.sts.certificate],
  });
  assert.deepEqual(
    {
      challenges: c.stats()['challenges'],
      tokens: c.stats()['tokensIssued'],
      requests: c.stats()['requests'],
    },
    { challenges: 1, tokens: 1, requests: 2 },
  );
  assert.equal(readAssertion(parseXml(token.assertionXml).documentElement!).assertionId, token.assertionId);
  await assert.rejects(
    requestToken({
      transport: c.transport,
      url: c.url,
      credential: c.sandbox.pki.partner.signing,
      clock: c.clock,
      stsTrust: [c.sandbox.pki.sts.certificate],
      maxChallenges: 0,
    }),
    (e) => isPasserelleError(e, 'ERR_STS_RESPONSE_INVALID'),
  );
});

test('100 concurrent callers with an empty cache make exactly one STS request (single flight)', async (t) => {
  const c = await startStsSandbox(t);
  const cache = new StsTokenCache({
    clock: c.clock,
    fetch: (r) =>
      requestToken({
        transport: c.transport,
        url: c.url,
        clock: c.clock,
        stsTrust: [c.sandbox.pki.sts.certificate],
        ...r,
      }),
  });
  const credential = c.sandbox.pki.partner.signing;
  const results = await Promise.all(Array.from({ length: 100 }, () => cache.get({ credential })));
  assert.equal(new Set(results.map((r) => r.token.assertionId)).size, 1);
  assert.equal(results.filter((r) => r.source === 'sts').length, 100);
  assert.deepEqual(
    { requests: c.stats()['requests'], tokensIssued: c.stats()['tokensIssued'] },
    { requests: 1, tokensIssued: 1 },
  );
  const again = await cache.get({ credential });
  assert.equal(again.source, 'memory');
  assert.equal(c.stats()['requests'], 1);
});
