import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { createDevCa, issueDevCertificate, loadDevCa, writeCredentialFiles } from '../../src/pki/dev-ca.ts';
import { loadCredential } from '../../src/pki/load-credential.ts';
import { profileSubject } from '../../src/pki/profiles.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { openssl } from './_openssl.ts';

test('dev CA: issued certificates verify with openssl; files load back; CA reloads', async (t) => {
  if (!requirePeer(t, 'openssl')) return;
  const dir = tempDir(t);
  const clock = new FrozenClock(TEST_NOW);
  const ca = await createDevCa({ dir, clock });
  assert.equal(statSync(ca.passwordFile).mode & 0o777, 0o600);
  assert.equal(statSync(ca.keyFile).mode & 0o777, 0o600);
  const server = await issueDevCertificate(ca, {
    usage: 'tls-server',
    subject: 'C=BE, O=Dev, CN=localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    clock,
  });
  const app = await issueDevCertificate(ca, {
    usage: 'tls-client-signing',
    subject: profileSubject('ebox', {
      cbe: '0123456749',
      institution: 'Partner',
      app: 'urn:be:partner:app',
      env: 'SIM',
    }),
    keyType: 'rsa-2048',
    clock,
  });
  const at = String(Math.floor(TEST_NOW / 1000));
  for (const [name, cred] of [
    ['server', server],
    ['app', app],
  ] as const) {
    const files = await writeCredentialFiles(dir, name, cred, { password: ca.password });
    assert.match(openssl('verify', '-attime', at, '-CAfile', ca.certFile, files.certPath), /OK/);
    openssl('pkcs12', '-info', '-noout', '-in', files.p12Path, '-passin', `file:${ca.passwordFile}`);
    assert.equal(statSync(files.p12Path).mode & 0o777, 0o600);
    const fromP12 = await loadCredential({ p12: files.p12Path, password: { file: ca.passwordFile } });
    const fromPem = await loadCredential({
      cert: files.certPath,
      key: files.keyPath,
      password: { file: ca.passwordFile },
    });
    assert.ok(fromP12.certificate.raw.equals(cred.certificate.raw));
    assert.ok(fromPem.certificate.raw.equals(cred.certificate.raw));
  }
  assert.match(
    openssl('x509', '-in', join(dir, 'server.crt'), '-noout', '-ext', 'subjectAltName'),
    /DNS:localhost, IP Address:127\.0\.0\.1/,
  );
  const again = await loadDevCa(dir);
  assert.equal(again.credential.certificate.fingerprint256, ca.credential.certificate.fingerprint256);
  await assert.rejects(loadDevCa(join(dir, 'missing')), (e) =>
    isPasserelleError(e, 'ERR_PKI_FILE_UNREADABLE'),
  );
});
