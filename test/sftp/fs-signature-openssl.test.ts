/**
 * The FS signature against an independent peer, OpenSSL's `cms` command: our FS verifies with
 * `openssl cms -verify`, an FS made by `openssl cms -sign` (detached, as socialsecurity.be asks:
 * "signature binaire du fichier") verifies with ours, and OpenSSL-made hostile FS files are refused.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { Credential } from '../../src/pki/credential.ts';
import {
  decodeSubmissionSignature,
  type FsDigest,
  type FsEncoding,
  signSubmissionFile,
  verifySubmissionSignature,
} from '../../src/sftp/fs-signature.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';

const AT = new Date(TEST_NOW);
const FI_TEXT = 'DMFA declaration\r\nline 2 \u00e9\n\0binary\xff tail';

/** A temp dir holding FI, ca.pem and the PEM files of the given signers. */
async function setup(t: TestContext) {
  const pki = await testPki();
  const dir = tempDir(t, 'passerelle-fs-');
  const fi = join(dir, 'FI.DMFA.999999.20260615.00001.T.1.1');
  writeFileSync(fi, Buffer.from(FI_TEXT, 'latin1'));
  writeFileSync(join(dir, 'ca.pem'), pki.ca.certificate.toString());
  const pem = (c: Credential, name: string) => {
    writeFileSync(join(dir, `${name}.cert.pem`), c.certificate.toString());
    writeFileSync(join(dir, `${name}.key.pem`), c.keyPem);
    return ['-signer', join(dir, `${name}.cert.pem`), '-inkey', join(dir, `${name}.key.pem`)];
  };
  /** Runs `openssl cms -sign -binary -outform DER` over FI with extra args; returns the DER. */
  const opensslSign = (args: string[], input = fi): Buffer => {
    const out = join(dir, 'openssl.fs.der');
    const r = runPeer('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-outform',
      'DER',
      '-in',
      input,
      '-out',
      out,
      ...args,
    ]);
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(out);
  };
  return { pki, dir, fi, pem, opensslSign, trust: [pki.ca.certificate] };
}

describe('FS signature: ours verified by openssl cms -verify', () => {
  const cases: [keyof { rsa: 1; ec: 1 }, FsEncoding, FsDigest][] = [];
  for (const signer of ['rsa', 'ec'] as const)
    for (const encoding of ['base64', 'base64-76-cr', 'der'] as const)
      cases.push([signer, encoding, 'sha256']);
  cases.push(['rsa', 'der', 'sha384'], ['ec', 'base64-76-cr', 'sha384'], ['rsa', 'base64', 'sha512']);

  for (const [name, encoding, digest] of cases) {
    it(`${name} signer, ${encoding}, ${digest}`, async (t) => {
      if (!requirePeer(t, 'openssl')) return;
      const { pki, dir, fi } = await setup(t);
      const fs = await signSubmissionFile(fi, { signer: pki[name], encoding, digest, signingTime: AT });
      const der = join(dir, 'fs.der');
      writeFileSync(der, decodeSubmissionSignature(fs));
      const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', der, '-content', fi];
      const r = runPeer('openssl', [
        ...args,
        '-CAfile',
        join(dir, 'ca.pem'),
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /Verification successful/);
      const md = runPeer('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', der]);
      assert.match(md.stdout, new RegExp(`algorithm: ${digest} `));
      // the independent peer refuses it over another file
      writeFileSync(join(dir, 'other'), 'other content');
      const bad = runPeer('openssl', [
        ...args.slice(0, -1),
        join(dir, 'other'),
        '-CAfile',
        join(dir, 'ca.pem'),
        '-purpose',
        'any',
      ]);
      assert.notEqual(bad.status, 0);
    });
  }
});

describe('FS signature: openssl cms -sign verified by ours', () => {
  for (const name of ['rsa', 'ec'] as const) {
    it(`${name} signer, DER, base64 on one line, base64 in 76-character lines separated by CR`, async (t) => {
      if (!requirePeer(t, 'openssl')) return;
      const { pki, fi, pem, opensslSign, trust } = await setup(t);
      const der = opensslSign(['-md', 'sha256', ...pem(pki[name], name)]);
      const b64 = der.toString('base64');
      const wrapped = b64.match(/.{1,76}/g)!.join('\r');
      assert.ok(wrapped.includes('\r'));
      for (const fs of [
        der,
        Buffer.from(b64),
        Buffer.from(wrapped),
        Buffer.from(`${b64.match(/.{1,64}/g)!.join('\n')}\n`),
      ]) {
        const v = await verifySubmissionSignature(fs, fi, { trust, at: AT });
        assert.equal(v.digest, 'sha256');
        assert.ok(v.signer.raw.equals(pki[name].certificate.raw));
        assert.match(v.subject, new RegExp(`^CN=urn:be:test:app:${name},`));
        assert.ok(v.signingTime !== undefined && !Number.isNaN(Date.parse(v.signingTime)));
      }
    });
  }

  it('signer identified by subjectKeyIdentifier (openssl -keyid)', async (t) => {
    if (!requirePeer(t, 'openssl')) return;
    const { pki, fi, pem, opensslSign, trust } = await setup(t);
    const der = opensslSign(['-md', 'sha256', '-keyid', ...pem(pki.rsa, 'rsa')]);
    assert.ok(
      (await verifySubmissionSignature(der, fi, { trust, at: AT })).signer.raw.equals(
        pki.rsa.certificate.raw,
      ),
    );
  });

  it('SHA-384 from openssl', async (t) => {
    if (!requirePeer(t, 'openssl')) return;
    const { pki, fi, pem, opensslSign, trust } = await setup(t);
    const der = opensslSign(['-md', 'sha384', ...pem(pki.ec, 'ec')]);
    assert.equal((await verifySubmissionSignature(der, fi, { trust, at: AT })).digest, 'sha384');
  });
});

describe('FS signature: hostile FS files made by openssl', () => {
  it('SHA-1 signature → ERR_SFTP_SIGNATURE_ALGORITHM', async (t) => {
    if (!requirePeer(t, 'openssl')) return;
    const { pki, fi, pem, opensslSign, trust } = await setup(t);
    const der = opensslSign(['-md', 'sha1', ...pem(pki.rsa, 'rsa')]);
    await rejectsCode(verifySubmissionSignature(der, fi, { trust, at: AT }), 'ERR_SFTP_SIGNATURE_ALGORITHM');
  });

  it('FI changed by one byte → ERR_SFTP_SIGNATURE_INVALID', async (t) => {
    if (!requirePeer(t, 'openssl')) return;
    const { pki, fi, pem, opensslSign, trust, dir } = await setup(t);
    const der = opensslSign(['-md', 'sha256', ...pem(pki.rsa, 'rsa')]);
    await verifySubmissionSignature(der, fi, { trust, at: AT });
    const changed = Buffer.from(FI_TEXT, 'latin1');
    changed[5]! ^= 0x01;
    writeFileSync(join(dir, 'changed'), changed);
    await rejectsCode(
      verifySubmissionSignature(der, join(dir, 'changed'), { trust, at: AT }),
      'ERR_SFTP_SIGNATURE_INVALID',
    );
  });

  it('signer outside the trust → ERR_SFTP_SIGNATURE_UNTRUSTED', async (t) => {
    if (!requirePeer(t, 'openssl')) return;
    const { pki, fi, pem, opensslSign, trust } = await setup(t);
    const der = opensslSign(['-md', 'sha256', ...pem(pki.rogue, 'rogue')]);
    await rejectsCode(verifySubmissionSignature(der, fi, { trust, at: AT }), 'ERR_SFTP_SIGNATURE_UNTRUSTED');
  });

  it('attached signature (openssl -nodetach) → ERR_SFTP_SIGNATURE_MALFORMED', async (t) => {
    if (!requirePeer(t, 'openssl')) return;
    const { pki, fi, pem, opensslSign, trust } = await setup(t);
    const der = opensslSign(['-md', 'sha256', '-nodetach', ...pem(pki.rsa, 'rsa')]);
    await rejectsCode(verifySubmissionSignature(der, fi, { trust, at: AT }), 'ERR_SFTP_SIGNATURE_MALFORMED');
  });

  it('two signers → ERR_SFTP_SIGNATURE_MALFORMED', async (t) => {
    if (!requirePeer(t, 'openssl')) return;
    const { pki, fi, pem, opensslSign, trust } = await setup(t);
    const der = opensslSign(['-md', 'sha256', ...pem(pki.rsa, 'rsa'), ...pem(pki.ec, 'ec')]);
    await rejectsCode(verifySubmissionSignature(der, fi, { trust, at: AT }), 'ERR_SFTP_SIGNATURE_MALFORMED');
  });

  it('signer certificate left out (openssl -nocerts) → ERR_SFTP_SIGNATURE_UNTRUSTED', async (t) => {
    if (!requirePeer(t, 'openssl')) return;
    const { pki, fi, pem, opensslSign, trust } = await setup(t);
    const der = opensslSign(['-md', 'sha256', '-nocerts', ...pem(pki.rsa, 'rsa')]);
    await rejectsCode(verifySubmissionSignature(der, fi, { trust, at: AT }), 'ERR_SFTP_SIGNATURE_UNTRUSTED');
  });
});
