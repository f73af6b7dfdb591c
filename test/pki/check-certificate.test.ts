import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { checkCertificate, type Finding } from '../../src/pki/check-certificate.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { opensslLeaf } from './_openssl.ts';

const DAY = 86_400_000;
const ids = (fs: Finding[], severity: Finding['severity']) =>
  fs.filter((f) => f.severity === severity).map((f) => f.id);

test('a well-formed eBox certificate chained to its CA has no error or warning', async () => {
  const pki = await testPki();
  const f = checkCertificate(pki.rsa.certificate, {
    profile: 'ebox',
    caBundle: [pki.ca.certificate],
    now: TEST_NOW,
  });
  assert.deepEqual(ids(f, 'error'), []);
  assert.deepEqual(ids(f, 'warning'), []);
  assert.ok(ids(f, 'info').includes('chain.trusted'));
  assert.ok(ids(f, 'info').includes('subject.profile'));
});

test('profile mismatch, foreign CA, missing clientAuth and expiry are reported', async () => {
  const pki = await testPki();
  // A server certificate checked as an eBox application certificate.
  const server = checkCertificate(pki.server.certificate, {
    profile: 'ebox',
    caBundle: [pki.rogueCa.certificate],
    now: TEST_NOW,
  });
  const errors = ids(server, 'error');
  for (const id of ['subject.cbe-missing', 'eku.client-auth', 'chain.untrusted']) {
    assert.ok(errors.includes(id), `${id} in ${errors}`);
  }
  assert.equal(server[0]?.severity, 'error', 'errors come first');
  // The eHealth profile expects the CBE= convention.
  assert.ok(
    ids(checkCertificate(pki.rsa.certificate, { profile: 'ehealth', now: TEST_NOW }), 'error').includes(
      'subject.cbe-missing',
    ),
  );
  // 20 days before expiry → warning; after → error.
  const notAfter = Date.parse(pki.rsa.certificate.validTo);
  assert.ok(
    ids(checkCertificate(pki.rsa.certificate, { now: notAfter - 20 * DAY }), 'warning').includes(
      'validity.expiring',
    ),
  );
  assert.ok(
    ids(checkCertificate(pki.rsa.certificate, { now: notAfter + DAY }), 'error').includes('validity.expired'),
  );
});

test('an invalid CBE in the subject is an error naming the expected check digits', async () => {
  const pki = await testPki();
  const bad = await pki.issue({
    subject:
      'C=BE, O=Federal Government, OU=X, OU=urn:be:fgov:kbo-bce:organization:cbe-number:0123456748, CN=urn:be:x',
    usage: 'tls-client-signing',
  });
  const f = checkCertificate(bad.certificate, { profile: 'ebox', now: TEST_NOW });
  const cbe = f.find((x) => x.id === 'subject.cbe-invalid');
  assert.equal(cbe?.severity, 'error');
  assert.match(cbe?.message ?? '', /expected 49/);
});

test('a SHA-1-signed certificate made by openssl is an error; RSA 1024 too', async (t) => {
  if (!requirePeer(t, 'openssl')) return;
  const dir = tempDir(t);
  const sha1 = opensslLeaf(dir, 'sha1', 'rsa', { digest: 'sha1' });
  const small = opensslLeaf(dir, 'small', 'rsa', { bits: 1024 });
  const ok = opensslLeaf(dir, 'sha256', 'ec');
  // Frozen a minute after the certificates were made (openssl dates them from the real clock).
  const now = new FrozenClock(Date.now() + 60_000).now();
  const f = checkCertificate(new X509Certificate(readFileSync(sha1.cert)), { now });
  const sig = f.find((x) => x.id === 'signature.algorithm');
  assert.equal(sig?.severity, 'error');
  assert.match(sig?.message ?? '', /sha1WithRSAEncryption/);
  const weak = checkCertificate(new X509Certificate(readFileSync(small.cert)), { now }).find(
    (x) => x.id === 'key.size',
  );
  assert.equal(weak?.severity, 'error');
  assert.match(weak?.message ?? '', /RSA 1024/);
  assert.deepEqual(
    ids(
      checkCertificate(new X509Certificate(readFileSync(ok.cert)), {
        now,
        caBundle: [new X509Certificate(readFileSync(ok.caCert))],
      }),
      'error',
    ),
    [],
  );
});

test('dates: an expired leaf is reported once (validity.expired), an expired intermediate of its path as chain.validity', async () => {
  const pki = await testPki();
  const oldLeaf = await pki.issue({
    subject: 'C=BE, CN=expired leaf',
    usage: 'signing',
    notAfter: new Date('2026-06-01T00:00:00Z'),
  });
  const expired = ids(
    checkCertificate(oldLeaf.certificate, { caBundle: [pki.ca.certificate], now: TEST_NOW }),
    'error',
  );
  assert.ok(expired.includes('validity.expired'));
  assert.ok(!expired.includes('chain.validity'));
  const sub = await pki.issue({
    subject: 'C=BE, CN=Old Intermediate CA',
    usage: 'ca',
    notAfter: new Date('2026-06-01T00:00:00Z'),
  });
  const leaf = await pki.issue({ subject: 'C=BE, CN=under old intermediate', usage: 'signing', issuer: sub });
  const underOld = checkCertificate(leaf.certificate, {
    caBundle: [pki.ca.certificate],
    intermediates: [sub.certificate],
    now: TEST_NOW,
  });
  assert.ok(ids(underOld, 'error').includes('chain.validity'));
  assert.ok(!ids(underOld, 'error').includes('validity.expired'));
});
