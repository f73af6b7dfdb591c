import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPasserelleError } from '../../src/errors.ts';
import { encodePkcs12 } from '../../src/pki/encode-pkcs12.ts';
import { inspectP12 } from '../../src/pki/inspect-p12.ts';
import { loadCredential } from '../../src/pki/load-credential.ts';
import { testPki } from '../_support/credentials.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { openssl } from './_openssl.ts';

const PW = 'dev pässword';

test('our modern .p12 (RSA and EC) is read by openssl pkcs12 and by loadCredential', async (t) => {
  if (!requirePeer(t, 'openssl')) return;
  const pki = await testPki();
  const dir = tempDir(t);
  for (const [name, cred] of [
    ['rsa', pki.rsa],
    ['ec', pki.ec],
  ] as const) {
    const file = join(dir, `${name}.p12`);
    writeFileSync(file, encodePkcs12(cred, PW, { friendlyName: name }));
    const info = openssl('pkcs12', '-info', '-noout', '-in', file, '-passin', `pass:${PW}`);
    assert.match(info, /MAC: sha256/);
    assert.match(info, /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);
    const pem = openssl('pkcs12', '-in', file, '-passin', `pass:${PW}`, '-nodes');
    assert.match(pem, /friendlyName: \w+/);
    assert.match(pem, /BEGIN PRIVATE KEY/);
    const back = await loadCredential({ p12: file, password: { env: 'PW' } }, { env: { PW } });
    assert.ok(back.certificate.raw.equals(cred.certificate.raw));
    assert.equal(back.keyKind, cred.keyKind);
  }
});

test('inspectP12 lists entries without secrets; wrong password → ERR_PKI_BAD_PASSWORD', async (t) => {
  const pki = await testPki();
  const dir = tempDir(t);
  const file = join(dir, 'app.p12');
  const withChain = { ...pki.rsa, chain: [pki.ca.certificate] };
  writeFileSync(file, encodePkcs12(withChain, PW, { friendlyName: 'app' }));
  const r = await inspectP12(file, PW);
  assert.equal(r.mac?.algorithm, 'HMAC-SHA256');
  const key = r.entries.find((e) => e.kind === 'key');
  const leaf = r.entries.find((e) => e.kind === 'cert' && e.hasPrivateKey);
  assert.equal(key?.keyType, 'RSA 2048');
  assert.equal(key?.friendlyName, 'app');
  assert.equal(leaf?.localKeyId, key?.localKeyId);
  assert.match(leaf?.subject ?? '', /cbe-number:0123456749/);
  assert.equal(r.entries.filter((e) => e.kind === 'cert').length, 2);
  const text = JSON.stringify(r);
  assert.doesNotMatch(text, /PRIVATE KEY|dev pässword/);
  await assert.rejects(inspectP12(file, 'wrong'), (e) => isPasserelleError(e, 'ERR_PKI_BAD_PASSWORD'));
});
