import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { verifyChain } from '../../src/pki/chain.ts';
import { loadTrust } from '../../src/pki/load-trust.ts';
import { verifyAssertion } from '../../src/saml/verify-assertion.ts';
import { signEnvelope } from '../../src/wss/sign.ts';
import { verifyEnvelope } from '../../src/wss/verify.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';
import { stsKeys, testAssertion } from '../saml/_fixtures.ts';
import { requestEnvelope } from '../wss/_helpers.ts';

const pki = await testPki();
const clock = new FrozenClock(TEST_NOW);
const setting = 'environments.acpt.trust.platformSigning';

function files(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t, 'passerelle-trust-');
  const write = (name: string, ...certs: { toString(): string }[]) => {
    const path = join(dir, name);
    writeFileSync(path, certs.map(String).join(''));
    return path;
  };
  return { dir, write };
}

test('a pinned leaf accepts its own signer and refuses another leaf of the same CA; a CA entry accepts both', async (t) => {
  const { dir, write } = files(t);
  write('rsa.pem', pki.rsa.certificate);
  write('ca.pem', pki.ca.certificate);
  const pinned = await loadTrust([{ pin: 'rsa.pem' }], { baseDir: dir, setting });
  const plain = await loadTrust(['rsa.pem'], { baseDir: dir, setting });
  const byCa = await loadTrust([{ ca: 'ca.pem' }], { baseDir: dir, setting });
  assert.deepEqual(
    [pinned.pinned.length, pinned.ca.length, byCa.pinned.length, byCa.ca.length],
    [1, 0, 0, 1],
  );
  assert.ok(plain.pinned[0]?.raw.equals(pki.rsa.certificate.raw), 'a plain file is a pin');
  const fromRsa = signEnvelope(requestEnvelope(), { credential: pki.rsa, clock });
  const fromEc = signEnvelope(requestEnvelope(), { credential: pki.ec, clock });
  assert.equal(
    verifyEnvelope(fromRsa, { trust: pinned, clock }).signer.fingerprint256,
    pki.rsa.certificate.fingerprint256,
  );
  throwsCode(() => verifyEnvelope(fromEc, { trust: pinned, clock }), 'ERR_WSS_UNTRUSTED_SIGNER');
  throwsCode(() => verifyEnvelope(fromEc, { trust: plain, clock }), 'ERR_WSS_UNTRUSTED_SIGNER');
  verifyEnvelope(fromRsa, { trust: byCa, clock });
  verifyEnvelope(fromEc, { trust: byCa, clock });
  // The CA certificate pinned (not declared a CA) trusts itself only, never what it issued.
  throwsCode(
    () => verifyEnvelope(fromRsa, { trust: { pinned: [pki.ca.certificate], ca: [] }, clock }),
    'ERR_WSS_UNTRUSTED_SIGNER',
  );
});

test('a pin file holding several certificates (leaf + CA) is refused: ERR_CONFIG_TRUST_PIN_MULTIPLE', async (t) => {
  const { dir, write } = files(t);
  write('leaf-and-ca.pem', pki.rsa.certificate, pki.ca.certificate);
  for (const entry of ['leaf-and-ca.pem', { pin: 'leaf-and-ca.pem' }]) {
    await assert.rejects(
      loadTrust([entry], { baseDir: dir, setting }),
      (e) =>
        isPasserelleError(e, 'ERR_CONFIG_TRUST_PIN_MULTIPLE') &&
        e.details['certificates'] === 2 &&
        e.details['setting'] === setting &&
        /\{ ca: FILE \}/.test(e.hint ?? ''),
    );
  }
});

test('a CA entry holding a leaf is refused: ERR_CONFIG_TRUST_NOT_CA; a missing file: ERR_FILE_NOT_FOUND naming the setting', async (t) => {
  const { dir, write } = files(t);
  write('bundle.pem', pki.ca.certificate, pki.rsa.certificate);
  await assert.rejects(
    loadTrust([{ ca: 'bundle.pem' }], { baseDir: dir, setting }),
    (e) =>
      isPasserelleError(e, 'ERR_CONFIG_TRUST_NOT_CA') &&
      /urn:be:test:app:rsa/.test(String(e.details['subject'])),
  );
  await assert.rejects(loadTrust([{ pin: 'missing.pem' }], { baseDir: dir, setting }), (e) => {
    assert.ok(isPasserelleError(e, 'ERR_FILE_NOT_FOUND'), String(e));
    assert.equal(e.details['path'], join(dir, 'missing.pem'));
    assert.equal(e.details['setting'], setting);
    assert.ok(e.hint.includes(setting), e.hint);
    return true;
  });
});

test('verifyChain: trust first, then validity; an expired intermediate is named as such', async () => {
  const sub = await pki.issue({
    subject: 'C=BE, O=Passerelle Test, CN=Old Intermediate CA',
    usage: 'ca',
    notAfter: new Date('2026-06-01T00:00:00Z'),
  });
  const leaf = await pki.issue({ subject: 'CN=under old intermediate', usage: 'signing', issuer: sub });
  const at = TEST_NOW;
  assert.throws(
    () =>
      verifyChain(leaf.certificate, { anchors: [pki.ca.certificate], intermediates: [sub.certificate], at }),
    (e) =>
      isPasserelleError(e, 'ERR_PKI_CERT_EXPIRED') &&
      e.details['position'] === 'intermediate' &&
      e.details['validTo'] === '2026-06-01T00:00:00.000Z',
  );
  // Not trusted at all: untrusted, whatever the dates.
  throwsCode(
    () =>
      verifyChain(leaf.certificate, {
        anchors: [pki.rogueCa.certificate],
        intermediates: [sub.certificate],
        at,
      }),
    'ERR_PKI_UNTRUSTED',
  );
  throwsCode(
    () =>
      verifyChain(pki.rsa.certificate, {
        anchors: { pinned: [pki.rsa.certificate], ca: [] },
        at: Date.parse('2025-01-01'),
      }),
    'ERR_PKI_CERT_NOT_YET_VALID',
  );
});

test('SAML: a pinned STS certificate refuses another STS leaf of the same CA; the CA accepts it; an expired STS signer: ERR_WSS_SIGNER_EXPIRED', async () => {
  const { sts } = await stsKeys();
  const other = await pki.issue({
    subject: 'C=BE, O=Passerelle Test, OU=IAM, CN=other STS',
    usage: 'signing',
  });
  const a = await testAssertion({ signer: other });
  const element = () => parseXml(a.xml).documentElement!;
  throwsCode(
    () => verifyAssertion(element(), { stsTrust: { pinned: [sts.certificate], ca: [] }, clock }),
    'ERR_SAML_UNTRUSTED_ISSUER',
  );
  assert.equal(
    verifyAssertion(element(), { stsTrust: { pinned: [], ca: [pki.ca.certificate] }, clock })
      .issuerCertificate.fingerprint256,
    other.certificate.fingerprint256,
  );
  const old = await pki.issue({
    subject: 'C=BE, O=Passerelle Test, OU=IAM, CN=expired STS',
    usage: 'signing',
    notAfter: new Date('2026-06-15T09:00:00Z'),
  });
  // Issued by the STS an hour before its certificate expired, read two hours later (assertion still valid).
  const late = await testAssertion({ signer: old, now: TEST_NOW - 2 * 3600_000, lifetimeSeconds: 4 * 3600 });
  for (const stsTrust of [[old.certificate], [pki.ca.certificate]]) {
    throwsCode(
      () => verifyAssertion(parseXml(late.xml).documentElement!, { stsTrust, clock }),
      'ERR_WSS_SIGNER_EXPIRED',
    );
  }
  throwsCode(
    () =>
      verifyAssertion(parseXml(late.xml).documentElement!, { stsTrust: [pki.rogueCa.certificate], clock }),
    'ERR_SAML_UNTRUSTED_ISSUER',
  );
});
