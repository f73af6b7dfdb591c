import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { type ErrorCode, isPasserelleError } from '../../src/errors.ts';
import { SAML1 } from '../../src/saml/constants.ts';
import { MemoryReplayCache } from '../../src/wss/replay-cache.ts';
import { verifyHokEnvelope } from '../../src/wss/verify-hok.ts';
import { childElements } from '../../src/xml/dom.ts';
import { NS } from '../../src/xml/namespaces.ts';
import type { Element } from '../../src/xml/node.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { signedHok, stsKeys, tamperHok } from '../saml/_fixtures.ts';

const clock = new FrozenClock(TEST_NOW);

function rejects(
  xml: string,
  trust: Parameters<typeof verifyHokEnvelope>[1]['stsTrust'],
  code: ErrorCode,
  at = clock,
): void {
  throwsCode(() => verifyHokEnvelope(xml, { stsTrust: trust, clock: at }), code);
}

/** Inserts whitespace between every pair of tags of `el`'s subtree, except inside `skip`. */
function indent(el: Element, skip: Element | undefined, depth = 1): void {
  const doc = el.ownerDocument!;
  for (const child of childElements(el)) {
    el.insertBefore(doc.createTextNode(`\n${'  '.repeat(depth)}`), child);
    if (child !== skip) indent(child, skip, depth + 1);
  }
  if (childElements(el).length > 0) el.appendChild(doc.createTextNode(`\n${'  '.repeat(depth - 1)}`));
}

test('a valid holder-of-key message verifies: assertion facts, confirmation key as signer, Body and Timestamp signed', async () => {
  const { xml, trust, issued, holder, sts } = await signedHok();
  const v = verifyHokEnvelope(xml, { stsTrust: trust, clock });
  assert.equal(v.assertion.assertionId, issued.assertionId);
  assert.equal(v.assertion.issuer, SAML1.ehealthIssuer);
  assert.deepEqual([...v.signedParts], ['body', 'timestamp']);
  assert.ok(v.signer.raw.equals(holder.certificate.raw));
  assert.ok(v.issuerCertificate.raw.equals(sts.certificate.raw));
  assert.match(
    xml,
    /<wsse:SecurityTokenReference wsse11:TokenType="http:\/\/docs.oasis-open.org\/wss\/oasis-wss-saml-token-profile-1.1#SAMLV1.1"/,
  );
  assert.match(
    xml,
    new RegExp(
      `<wsse:KeyIdentifier ValueType="http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID">${issued.assertionId}</wsse:KeyIdentifier>`,
    ),
  );
});

test('an attribute value changed in the assertion: ERR_WSS_DIGEST_MISMATCH', async () => {
  const { xml, trust } = await signedHok();
  rejects(
    xml.replace('>0123456749</AttributeValue>', '>0999999995</AttributeValue>'),
    trust,
    'ERR_WSS_DIGEST_MISMATCH',
  );
});

test('the assertion pretty-printed (re-indented outside its signature): ERR_WSS_DIGEST_MISMATCH', async () => {
  const { xml, trust } = await signedHok();
  const t = tamperHok(xml, (p) => indent(p.assertion, childElements(p.assertion).at(-1)));
  assert.match(t, /<Conditions [^>]*\/>\n {2}<AuthenticationStatement/);
  rejects(t, trust, 'ERR_WSS_DIGEST_MISMATCH');
});

test('the assertion pretty-printed entirely (its SignedInfo too): ERR_WSS_SIGNATURE_INVALID', async () => {
  const { xml, trust } = await signedHok();
  rejects(
    tamperHok(xml, (p) => indent(p.assertion, undefined)),
    trust,
    'ERR_WSS_SIGNATURE_INVALID',
  );
});

test('expired conditions: ERR_SAML_EXPIRED (and accepted within the skew)', async () => {
  const { xml, trust } = await signedHok({ now: TEST_NOW - 3_600_000 - 120_000, lifetimeSeconds: 3600 });
  rejects(xml, trust, 'ERR_SAML_EXPIRED');
  const { xml: edge } = await signedHok({ now: TEST_NOW - 3_600_000 - 30_000, lifetimeSeconds: 3600 });
  verifyHokEnvelope(edge, { stsTrust: trust, clock });
});

test('not-yet-valid conditions: ERR_SAML_NOT_YET_VALID', async () => {
  const { xml, trust } = await signedHok({ notBefore: TEST_NOW + 10 * 60_000 });
  rejects(xml, trust, 'ERR_SAML_NOT_YET_VALID');
});

test('the message signed by a key other than the confirmation key: ERR_SAML_KEY_MISMATCH', async () => {
  const { xml, trust, pki } = await signedHok();
  const other = await pki.issue({ subject: 'C=BE, O=Passerelle Test, CN=other rsa', usage: 'signing' });
  rejects(
    tamperHok(xml, () => {}, other),
    trust,
    'ERR_SAML_KEY_MISMATCH',
  );
  const ecdsa = (p: { signature: Element }) =>
    p.signature
      .getElementsByTagNameNS(NS.ds, 'SignatureMethod')
      .item(0)!
      .setAttribute('Algorithm', 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256');
  rejects(tamperHok(xml, ecdsa, pki.ec), trust, 'ERR_SAML_KEY_MISMATCH');
});

test('an assertion from an untrusted issuer: ERR_SAML_UNTRUSTED_ISSUER (other STS key, other Issuer name)', async () => {
  const { rogueSts } = await stsKeys();
  const rogue = await signedHok({ signer: rogueSts });
  rejects(rogue.xml, rogue.trust, 'ERR_SAML_UNTRUSTED_ISSUER');
  const named = await signedHok({ issuer: 'urn:be:fgov:evil:sts' });
  rejects(named.xml, named.trust, 'ERR_SAML_UNTRUSTED_ISSUER');
  // Trust never comes from the message: the STS's own CA is not configured, its leaf is.
  const { xml } = await signedHok();
  rejects(xml, [rogueSts.certificate], 'ERR_SAML_UNTRUSTED_ISSUER');
});

test('the Body changed after signing: ERR_WSS_DIGEST_MISMATCH; the Timestamp expired: ERR_WSS_TIMESTAMP_EXPIRED', async () => {
  const { xml, trust } = await signedHok();
  rejects(xml.replace('>Hello World<', '>Hello Mars<'), trust, 'ERR_WSS_DIGEST_MISMATCH');
  rejects(xml, trust, 'ERR_WSS_TIMESTAMP_EXPIRED', new FrozenClock(TEST_NOW + 6 * 60_000));
});

test('a replayed message: ERR_WSS_REPLAY', async () => {
  const { xml, trust } = await signedHok();
  const replayCache = new MemoryReplayCache();
  verifyHokEnvelope(xml, { stsTrust: trust, clock, replayCache });
  assert.throws(
    () => verifyHokEnvelope(xml, { stsTrust: trust, clock, replayCache }),
    (e) => isPasserelleError(e, 'ERR_WSS_REPLAY'),
  );
});

test('a KeyIdentifier naming something else than the assertion: ERR_WSS_TOKEN_INVALID', async () => {
  const { xml, trust, holder } = await signedHok();
  const t = tamperHok(
    xml,
    (p) => {
      const ki = p.signature.getElementsByTagNameNS(NS.wsse, 'KeyIdentifier').item(0)!;
      ki.firstChild!.nodeValue = p.timestamp.getAttributeNS(NS.wsu, 'Id');
    },
    holder,
  );
  rejects(t, trust, 'ERR_WSS_TOKEN_INVALID');
});

test('no assertion in the Security header: ERR_SAML_INVALID; a bearer confirmation: ERR_SAML_INVALID', async () => {
  const { xml, trust } = await signedHok();
  rejects(
    tamperHok(xml, (p) => p.security.removeChild(p.assertion)),
    trust,
    'ERR_SAML_INVALID',
  );
  rejects(
    xml.replaceAll('urn:oasis:names:tc:SAML:1.0:cm:holder-of-key', 'urn:oasis:names:tc:SAML:1.0:cm:bearer'),
    trust,
    'ERR_SAML_INVALID',
  );
});

test('an embedded assertion signed with Reference URI="" is refused: ERR_WSS_REFERENCE_INVALID', async () => {
  const { xml, trust, issued } = await signedHok();
  rejects(xml.replace(`URI="#${issued.assertionId}"`, 'URI=""'), trust, 'ERR_WSS_REFERENCE_INVALID');
});

test('a SHA-1 digest in the assertion signature is not allowed: ERR_WSS_ALG_NOT_ALLOWED', async () => {
  const { xml, trust } = await signedHok();
  rejects(xml.replace('xmlenc#sha256', 'xmldsig#sha1'), trust, 'ERR_WSS_ALG_NOT_ALLOWED');
});
