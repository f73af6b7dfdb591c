import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { MemoryReplayCache, signEnvelope, verifyEnvelope } from '../../src/wss/index.ts';
import { NS } from '../../src/xml/namespaces.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { mutate, requestEnvelope, resign, withPayloadItems } from './_helpers.ts';

const pki = await testPki();
const clock = new FrozenClock(TEST_NOW);

test('returns the signer, the signed parts and the verified nodes', () => {
  const v = verifyEnvelope(signEnvelope(requestEnvelope(), { credential: pki.ec, clock }), {
    trust: [pki.ca.certificate],
    clock,
  });
  assert.equal(v.signer.fingerprint256, pki.ec.certificate.fingerprint256);
  assert.equal(v.body.parentNode, v.envelope);
  assert.equal(v.security.parentNode, v.header);
  assert.equal(v.timestamp?.created.getTime(), TEST_NOW);
  assert.match(v.signatureValue, /^[A-Za-z0-9+/]+=*$/);
});

test('a pinned signer certificate is a valid trust anchor; an expired trusted signer: ERR_WSS_SIGNER_EXPIRED', async () => {
  const xml = signEnvelope(requestEnvelope(), { credential: pki.rsa, clock });
  verifyEnvelope(xml, { trust: [pki.rsa.certificate], clock });
  const old = await pki.issue({
    subject: 'CN=old',
    usage: 'tls-client-signing',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2026-06-01T00:00:00Z'),
  });
  // Signed while its certificate was valid, verified two weeks after it expired.
  const signed = signEnvelope(requestEnvelope(), {
    credential: old,
    clock: new FrozenClock('2026-05-31T23:59:00Z'),
  });
  for (const trust of [[pki.ca.certificate], { pinned: [old.certificate], ca: [] }]) {
    throwsCode(() => verifyEnvelope(signed, { trust, clock }), 'ERR_WSS_SIGNER_EXPIRED');
  }
  // Trust is decided first: an expired certificate nobody trusts is untrusted, not expired.
  throwsCode(
    () => verifyEnvelope(signed, { trust: [pki.rogueCa.certificate], clock }),
    'ERR_WSS_UNTRUSTED_SIGNER',
  );
  const early = await pki.issue({
    subject: 'CN=early',
    usage: 'tls-client-signing',
    notBefore: new Date('2026-07-01T00:00:00Z'),
  });
  const fromEarly = signEnvelope(requestEnvelope(), {
    credential: early,
    clock: new FrozenClock('2026-07-01T00:01:00Z'),
  });
  throwsCode(
    () => verifyEnvelope(fromEarly, { trust: [pki.ca.certificate], clock }),
    'ERR_WSS_SIGNER_NOT_YET_VALID',
  );
});

test('a missing Timestamp: ERR_WSS_TIMESTAMP_MISSING when required', () => {
  const xml = mutate(signEnvelope(requestEnvelope(), { credential: pki.rsa, clock }), (p) => {
    p.security.removeChild(p.timestamp);
    p.signedInfo.removeChild(p.signedInfo.getElementsByTagNameNS(NS.ds, 'Reference').item(0)!);
    resign(p, pki.rsa);
  });
  verifyEnvelope(xml, { trust: [pki.ca.certificate], clock, require: ['body', 'bst'] });
  assert.throws(
    () => verifyEnvelope(xml, { trust: [pki.ca.certificate], clock }),
    (e) => isPasserelleError(e, 'ERR_WSS_TIMESTAMP_MISSING'),
  );
});

test('option mistakes are TypeErrors', () => {
  const xml = signEnvelope(requestEnvelope(), { credential: pki.rsa, clock });
  assert.throws(() => verifyEnvelope(xml, { trust: [], clock }), TypeError);
  assert.throws(
    () => verifyEnvelope(xml, { trust: [pki.ca.certificate], clock, maxSkewSeconds: -1 }),
    TypeError,
  );
  assert.throws(
    () => verifyEnvelope(xml, { trust: [pki.ca.certificate], clock, require: ['head' as 'body'] }),
    TypeError,
  );
});

test('MemoryReplayCache forgets expired entries and stays bounded', () => {
  const cache = new MemoryReplayCache({ maxEntries: 2 });
  assert.equal(cache.remember('a', 100, 0), true);
  assert.equal(cache.remember('a', 100, 50), false);
  assert.equal(cache.remember('a', 200, 100), true);
  cache.remember('b', 300, 100);
  cache.remember('c', 300, 100);
  assert.equal(cache.size, 2);
  assert.throws(() => new MemoryReplayCache({ maxEntries: 0 }), TypeError);
});

test('repeated payload IDs nothing points at are accepted; a signed id repeated in the payload is not (ERR_WSS_DUPLICATE_ID)', () => {
  const trust = [pki.ca.certificate];
  const xml = signEnvelope(withPayloadItems(requestEnvelope()), { credential: pki.rsa, clock });
  verifyEnvelope(xml, { trust, clock });
  // Every signed id (wsu:Id of Timestamp, Body, BST) copied onto a payload item.
  for (const signed of ['timestamp', 'body', 'bst'] as const) {
    const copied = mutate(xml, (p) => {
      const item = p.doc.createElementNS('urn:be:fgov:test:v1', 'v1:item');
      item.setAttribute('ID', p[signed].getAttributeNS(NS.wsu, 'Id')!);
      p.body.firstChild!.appendChild(item);
    });
    throwsCode(() => verifyEnvelope(copied, { trust, clock }), 'ERR_WSS_DUPLICATE_ID');
  }
  // A Body signed by its plain Id: a payload item repeating it makes the Reference ambiguous.
  const byPlainId = signEnvelope(
    withPayloadItems(requestEnvelope()).replace('<soapenv:Body>', '<soapenv:Body Id="b-1">'),
    { credential: pki.rsa, clock },
  );
  verifyEnvelope(byPlainId, { trust, clock });
  const repeated = mutate(byPlainId, (p) => {
    const item = p.doc.createElementNS('urn:be:fgov:test:v1', 'v1:item');
    item.setAttribute('ID', 'b-1');
    p.body.firstChild!.appendChild(item);
  });
  throwsCode(() => verifyEnvelope(repeated, { trust, clock }), 'ERR_WSS_DUPLICATE_ID');
  // More repeated IDs added after signing are a change of the Body like any other.
  const added = mutate(xml, (p) => {
    const item = p.doc.createElementNS('urn:be:fgov:test:v1', 'v1:item');
    item.setAttribute('ID', '1');
    p.body.firstChild!.appendChild(item);
  });
  throwsCode(() => verifyEnvelope(added, { trust, clock }), 'ERR_WSS_DIGEST_MISMATCH');
});

test('a changed BinarySecurityToken is read afresh after the same token verified twice (the certificate cache is keyed by the decoded DER)', () => {
  const trust = [pki.ca.certificate];
  const xml = signEnvelope(requestEnvelope(), { credential: pki.rsa, clock });
  verifyEnvelope(xml, { trust, clock });
  verifyEnvelope(xml, { trust, clock });
  const setBst = (text: string) =>
    mutate(xml, (p) => {
      p.bst.firstChild!.nodeValue = text;
    });
  const der = pki.rsa.certificate.raw.toString('base64');
  throwsCode(
    () => verifyEnvelope(setBst(`${der.slice(0, -4)}!${der.slice(-3)}`), { trust, clock }),
    'ERR_WSS_MALFORMED',
  );
  throwsCode(() => verifyEnvelope(setBst('AAAA'), { trust, clock }), 'ERR_WSS_TOKEN_INVALID');
  // The EC certificate in the token: the RSA signature now meets an EC key.
  throwsCode(
    () => verifyEnvelope(setBst(pki.ec.certificate.raw.toString('base64')), { trust, clock }),
    'ERR_WSS_ALG_NOT_ALLOWED',
  );
  // Same certificate, text wrapped at 64 columns: a new text, decoded to the same certificate; signed bytes changed.
  throwsCode(
    () => verifyEnvelope(setBst(der.replace(/(.{64})/g, '$1\n')), { trust, clock }),
    'ERR_WSS_DIGEST_MISMATCH',
  );
});

test('a signed envelope handed over as text with an XML declaration naming another encoding: ERR_XML_UNSUPPORTED_ENCODING', () => {
  const signed = signEnvelope(requestEnvelope(), { credential: pki.rsa, clock });
  const trust = [pki.ca.certificate];
  assert.ok(verifyEnvelope(`<?xml version="1.0" encoding="UTF-8"?>${signed}`, { trust, clock }));
  throwsCode(
    () => verifyEnvelope(`<?xml version="1.0" encoding="ISO-8859-1"?>${signed}`, { trust, clock }),
    'ERR_XML_UNSUPPORTED_ENCODING',
  );
});
