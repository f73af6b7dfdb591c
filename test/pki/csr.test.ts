import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPasserelleError } from '../../src/errors.ts';
import { createCsr } from '../../src/pki/csr.ts';
import { profileSubject } from '../../src/pki/profiles.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { openssl } from './_openssl.ts';

test('CSRs (RSA and EC) pass openssl req -verify and carry the eBox subject', async (t) => {
  if (!requirePeer(t, 'openssl')) return;
  const dir = tempDir(t);
  for (const keyType of ['rsa-2048', 'ec-p256'] as const) {
    const r = await createCsr({
      profile: 'ebox',
      cbe: '0123.456.749',
      institution: 'Acme, Inc',
      app: 'urn:be:acme:app',
      env: 'ACC',
      keyType,
    });
    const file = join(dir, `${keyType}.csr`);
    writeFileSync(file, r.csrPem);
    const out = openssl('req', '-verify', '-noout', '-subject', '-nameopt', 'RFC2253', '-in', file);
    assert.match(out, /verify OK/);
    // RFC 2253 prints the last RDN first.
    assert.match(
      out,
      /CN=urn:be:acme:app,OU=ACC,OU=urn:be:fgov:kbo-bce:organization:cbe-number:0123456749,OU=Acme\\, Inc,O=Federal Government,C=BE/,
    );
    assert.equal(r.privateKey.asymmetricKeyType, keyType === 'ec-p256' ? 'ec' : 'rsa');
  }
});

test('profile subjects: ehealth CN convention, invalid CBE and bad text are refused', async () => {
  const eh = profileSubject('ehealth', { cbe: '123456749', institution: 'Hospital', app: 'MYAPP' });
  assert.deepEqual(eh.at(-1), ['CN', 'CBE=0123456749, MYAPP']);
  await assert.rejects(
    createCsr({ profile: 'ebox', cbe: '0123456748', institution: 'X', app: 'urn:x' }),
    (e) => isPasserelleError(e, 'ERR_IDS_CBE_INVALID') && /expected 49/.test(e.message),
  );
  assert.throws(
    () => profileSubject('cbss', { cbe: '0123456749', institution: 'A "quoted" name', app: 'urn:x' }),
    (e) => isPasserelleError(e, 'ERR_PKI_PROFILE_INVALID'),
  );
  assert.throws(
    () => profileSubject('nope' as 'ebox', { cbe: '0123456749', institution: 'A', app: 'urn:x' }),
    (e) => isPasserelleError(e, 'ERR_PKI_PROFILE_INVALID'),
  );
});
