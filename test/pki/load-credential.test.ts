import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPasserelleError } from '../../src/errors.ts';
import { loadCredential } from '../../src/pki/load-credential.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { openssl, opensslLeaf, opensslP12 } from './_openssl.ts';

const PW = 'Pässw0rd with spaces';
const env = { P12_PW: PW, WRONG: 'not-it' };

for (const kind of ['rsa', 'ec'] as const) {
  for (const legacy of [false, true]) {
    test(`loads a ${legacy ? 'legacy (RC2/3DES, SHA-1 MAC)' : 'modern (AES-256, HMAC-SHA256)'} ${kind.toUpperCase()} .p12 made by openssl`, (t) => {
      if (!requirePeer(t, 'openssl')) return;
      const dir = tempDir(t);
      const f = opensslLeaf(dir, `leaf-${kind}`, kind);
      const p12 = opensslP12(dir, f, `store-${kind}`, PW, legacy);
      const info = openssl(
        'pkcs12',
        '-info',
        '-noout',
        '-in',
        p12,
        '-passin',
        `pass:${PW}`,
        ...(legacy ? ['-legacy'] : []),
      );
      return loadCredential({ p12, password: { env: 'P12_PW' } }, { env }).then((c) => {
        assert.equal(c.keyKind, kind);
        assert.ok(
          c.certificate.raw.equals(new X509Certificate(readFileSync(f.cert)).raw),
          'the leaf is returned byte-exact',
        );
        assert.equal(c.chain.length, 1, 'the CA came along as chain');
        assert.match(c.chain[0]!.subject, /Peer CA/);
        assert.ok(
          legacy ? /RC2|3DES|TripleDES/i.test(info) || /pbeWithSHA1/.test(info) : /AES-256-CBC/.test(info),
          info,
        );
      });
    });
  }
}

test('wrong password on modern and legacy .p12 → ERR_PKI_BAD_PASSWORD, without the password in the error', async (t) => {
  if (!requirePeer(t, 'openssl')) return;
  const dir = tempDir(t);
  const f = opensslLeaf(dir, 'leaf', 'rsa');
  for (const legacy of [false, true]) {
    const p12 = opensslP12(dir, f, `s${legacy}`, PW, legacy);
    await assert.rejects(loadCredential({ p12, password: { env: 'WRONG' } }, { env }), (e) => {
      assert.ok(isPasserelleError(e, 'ERR_PKI_BAD_PASSWORD'));
      assert.doesNotMatch(JSON.stringify(e.toJSON()), /not-it/);
      return true;
    });
  }
});

test('corrupt and truncated keystores → ERR_PKI_KEYSTORE_CORRUPT; missing file → ERR_PKI_FILE_UNREADABLE', async (t) => {
  if (!requirePeer(t, 'openssl')) return;
  const dir = tempDir(t);
  const f = opensslLeaf(dir, 'leaf', 'ec');
  const p12 = opensslP12(dir, f, 'store', PW, false);
  const truncated = join(dir, 'truncated.p12');
  writeFileSync(truncated, readFileSync(p12));
  truncateSync(truncated, Math.floor(readFileSync(p12).length / 2));
  const garbage = join(dir, 'garbage.p12');
  writeFileSync(garbage, 'this is not a keystore at all\n');
  for (const file of [truncated, garbage]) {
    await assert.rejects(loadCredential({ p12: file, password: { env: 'P12_PW' } }, { env }), (e) =>
      isPasserelleError(e, 'ERR_PKI_KEYSTORE_CORRUPT'),
    );
  }
  // A flipped byte inside the authenticated content fails the MAC: reported as a password problem "or altered".
  const flipped = join(dir, 'flipped.p12');
  const bytes = readFileSync(p12);
  bytes[bytes.length - 200] = bytes[bytes.length - 200]! ^ 0xff;
  writeFileSync(flipped, bytes);
  await assert.rejects(loadCredential({ p12: flipped, password: { env: 'P12_PW' } }, { env }), (e) =>
    isPasserelleError(e, 'ERR_PKI_BAD_PASSWORD'),
  );
  await assert.rejects(loadCredential({ p12: join(dir, 'nope.p12') }, { env }), (e) =>
    isPasserelleError(e, 'ERR_PKI_FILE_UNREADABLE'),
  );
});

test('a .p12 without a private key → ERR_PKI_NO_KEY', async (t) => {
  if (!requirePeer(t, 'openssl')) return;
  const dir = tempDir(t);
  const f = opensslLeaf(dir, 'leaf', 'rsa');
  const p12 = join(dir, 'nokey.p12');
  openssl('pkcs12', '-export', '-nokeys', '-in', f.cert, '-out', p12, '-passout', `pass:${PW}`);
  await assert.rejects(loadCredential({ p12, password: { env: 'P12_PW' } }, { env }), (e) =>
    isPasserelleError(e, 'ERR_PKI_NO_KEY'),
  );
});

test('PEM: plain PKCS#8, traditional RSA/EC, encrypted PKCS#8 and traditional encrypted keys load', async (t) => {
  if (!requirePeer(t, 'openssl')) return;
  const dir = tempDir(t);
  const rsa = opensslLeaf(dir, 'rsa', 'rsa');
  const ec = opensslLeaf(dir, 'ec', 'ec');
  const variants: Array<[string, string, 'rsa' | 'ec', boolean]> = [];
  const add = (name: string, cert: string, kind: 'rsa' | 'ec', encrypted: boolean, ...args: string[]) => {
    const out = join(dir, name);
    openssl(...args, '-out', out);
    variants.push([out, cert, kind, encrypted]);
  };
  variants.push([rsa.key, rsa.cert, 'rsa', false], [ec.key, ec.cert, 'ec', false]);
  add('rsa-trad.pem', rsa.cert, 'rsa', false, 'rsa', '-in', rsa.key, '-traditional');
  add('ec-trad.pem', ec.cert, 'ec', false, 'ec', '-in', ec.key);
  add(
    'rsa-enc.pem',
    rsa.cert,
    'rsa',
    true,
    'pkcs8',
    '-topk8',
    '-in',
    rsa.key,
    '-v2',
    'aes-256-cbc',
    '-passout',
    `pass:${PW}`,
  );
  add(
    'ec-enc.pem',
    ec.cert,
    'ec',
    true,
    'pkcs8',
    '-topk8',
    '-in',
    ec.key,
    '-v2',
    'aes-256-cbc',
    '-passout',
    `pass:${PW}`,
  );
  add(
    'rsa-trad-enc.pem',
    rsa.cert,
    'rsa',
    true,
    'rsa',
    '-in',
    rsa.key,
    '-traditional',
    '-aes256',
    '-passout',
    `pass:${PW}`,
  );
  for (const [key, cert, kind, encrypted] of variants) {
    const c = await loadCredential(
      { cert, key, ...(encrypted ? { password: { env: 'P12_PW' } } : {}) },
      { env },
    );
    assert.equal(c.keyKind, kind, key);
    if (encrypted) {
      await assert.rejects(
        loadCredential({ cert, key, password: { env: 'WRONG' } }, { env }),
        (e) => isPasserelleError(e, 'ERR_PKI_BAD_PASSWORD'),
        key,
      );
      await assert.rejects(
        loadCredential({ cert, key }, { env }),
        (e) => isPasserelleError(e, 'ERR_PKI_BAD_PASSWORD'),
        key,
      );
    }
  }
  // A key that does not match the certificate.
  await assert.rejects(loadCredential({ cert: rsa.cert, key: ec.key }, { env }), (e) =>
    isPasserelleError(e, 'ERR_PKI_KEY_MISMATCH'),
  );
  // A certificate file given as the key file.
  await assert.rejects(loadCredential({ cert: rsa.cert, key: rsa.cert }, { env }), (e) =>
    isPasserelleError(e, 'ERR_PKI_NO_KEY'),
  );
  // A damaged plain key.
  const broken = join(dir, 'broken.pem');
  writeFileSync(broken, '-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n');
  await assert.rejects(loadCredential({ cert: rsa.cert, key: broken }, { env }), (e) =>
    isPasserelleError(e, 'ERR_PKI_KEYSTORE_CORRUPT'),
  );
});
