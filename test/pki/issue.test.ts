import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPasserelleError } from '../../src/errors.ts';
import { verifyChain } from '../../src/pki/chain.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';

test('issued certificates verify with openssl against the issuing CA', async (t) => {
  if (!requirePeer(t, 'openssl')) return;
  const pki = await testPki();
  const dir = tempDir(t);
  writeFileSync(join(dir, 'ca.pem'), pki.ca.certPem);
  for (const [name, cred] of Object.entries({ rsa: pki.rsa, ec: pki.ec, server: pki.server })) {
    writeFileSync(join(dir, `${name}.pem`), cred.certPem);
    const r = runPeer('openssl', [
      'verify',
      '-attime',
      String(TEST_NOW / 1000),
      '-CAfile',
      join(dir, 'ca.pem'),
      join(dir, `${name}.pem`),
    ]);
    assert.equal(r.status, 0, `${name}: ${r.stdout}${r.stderr}`);
  }
  const rogue = join(dir, 'rogue.pem');
  writeFileSync(rogue, pki.rogue.certPem);
  assert.notEqual(
    runPeer('openssl', ['verify', '-attime', String(TEST_NOW / 1000), '-CAfile', join(dir, 'ca.pem'), rogue])
      .status,
    0,
  );
});

test('verifyChain accepts a CA-issued leaf and rejects a foreign or expired one', async () => {
  const pki = await testPki();
  assert.equal(verifyChain(pki.rsa.certificate, { anchors: [pki.ca.certificate], at: TEST_NOW }).length, 2);
  assert.throws(
    () => verifyChain(pki.rogue.certificate, { anchors: [pki.ca.certificate], at: TEST_NOW }),
    (e) => isPasserelleError(e, 'ERR_PKI_UNTRUSTED'),
  );
  assert.throws(
    () => verifyChain(pki.rsa.certificate, { anchors: [pki.ca.certificate], at: Date.parse('2030-01-01') }),
    (e) => isPasserelleError(e, 'ERR_PKI_CERT_EXPIRED'),
  );
  // A non-CA leaf cannot act as an issuer even if it is trusted as a pinned certificate.
  assert.throws(
    () => verifyChain(pki.ec.certificate, { anchors: [pki.rsa.certificate], at: TEST_NOW }),
    (e) => isPasserelleError(e, 'ERR_PKI_UNTRUSTED'),
  );
  assert.equal(verifyChain(pki.rsa.certificate, { anchors: [pki.rsa.certificate], at: TEST_NOW }).length, 1);
});
