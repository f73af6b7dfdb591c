import assert from 'node:assert/strict';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import {
  Attribute,
  ContentInfo,
  id_contentType,
  id_messageDigest,
  id_signingTime,
  SignedData,
} from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Time } from '@peculiar/asn1-x509';
import {
  decodeSubmissionSignature,
  signSubmissionFile,
  verifySubmissionSignature,
} from '../../src/sftp/fs-signature.ts';
import { rejectsCode, throwsCode } from '../_support/assert-code.ts';
import { outOfDateCredentials, TEST_NOW, testPki } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';

const AT = new Date(TEST_NOW);
const SIGNED_AT = new Date('2026-06-15T09:59:00Z');

async function setup(t: TestContext, content: string | Buffer = 'FI content\n') {
  const pki = await testPki();
  const dir = tempDir(t, 'passerelle-fs-');
  const fi = join(dir, 'FI');
  writeFileSync(fi, content);
  const der = decodeSubmissionSignature(
    await signSubmissionFile(fi, { signer: pki.rsa, signingTime: SIGNED_AT, encoding: 'der' }),
  );
  return { pki, dir, fi, der, trust: [pki.ca.certificate] };
}

/** Re-encodes a DER FS after changing its SignedData (the signature bytes are kept). */
function reencode(der: Buffer, change: (sd: SignedData) => void): Buffer {
  const ci = AsnConvert.parse(der, ContentInfo);
  const sd = AsnConvert.parse(ci.content, SignedData);
  change(sd);
  return Buffer.from(
    AsnConvert.serialize(new ContentInfo({ contentType: ci.contentType, content: AsnConvert.serialize(sd) })),
  );
}

async function* chunks(path: string): AsyncIterable<Uint8Array> {
  for await (const c of createReadStream(path, { highWaterMark: 64 * 1024 })) yield c as Buffer;
}

describe('signSubmissionFile / verifySubmissionSignature', () => {
  it('signs and verifies with RSA and EC signers in every encoding and digest', async (t) => {
    const { pki, fi, trust } = await setup(t);
    for (const signer of [pki.rsa, pki.ec])
      for (const encoding of ['base64', 'base64-76-cr', 'der'] as const)
        for (const digest of ['sha256', 'sha384', 'sha512'] as const) {
          const fs = await signSubmissionFile(fi, { signer, encoding, digest, signingTime: SIGNED_AT });
          const v = await verifySubmissionSignature(fs, fi, { trust, at: AT });
          assert.deepEqual([v.digest, v.signingTime], [digest, SIGNED_AT.toISOString()]);
          assert.ok(v.signer.raw.equals(signer.certificate.raw));
          assert.equal(
            v.subject.split(',')[0],
            `CN=${signer === pki.rsa ? 'urn:be:test:app:rsa' : 'urn:be:test:app:ec'}`,
          );
        }
  });

  it('writes the encodings the platform reads: one base64 line, 76-character lines split by CR, or DER', async (t) => {
    const { pki, fi } = await setup(t);
    const sign = (encoding: 'base64' | 'base64-76-cr' | 'der') =>
      signSubmissionFile(fi, { signer: pki.rsa, encoding, signingTime: SIGNED_AT });
    const one = (await sign('base64')).toString('latin1');
    assert.match(one, /^[A-Za-z0-9+/]+=*$/);
    const lines = (await sign('base64-76-cr')).toString('latin1').split('\r');
    assert.ok(
      lines.length > 1 && lines.slice(0, -1).every((l) => l.length === 76) && lines.at(-1)!.length <= 76,
    );
    assert.ok(lines.every((l) => !l.includes('\n')));
    assert.equal((await sign('der'))[0], 0x30);
    assert.equal(lines.join(''), one); // deterministic for RSA PKCS#1 v1.5 and a fixed signingTime
  });

  it('streams: a 6 MB FI signed from a path and from a stream, verified from either', async (t) => {
    const big = Buffer.alloc(6 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 12)) & 0xff;
    const { pki, dir, fi, trust } = await setup(t, big);
    const fromPath = await signSubmissionFile(fi, { signer: pki.ec, signingTime: SIGNED_AT });
    const fromStream = await signSubmissionFile(chunks(fi), { signer: pki.ec, signingTime: SIGNED_AT });
    for (const fs of [fromPath, fromStream]) {
      await verifySubmissionSignature(fs, fi, { trust, at: AT });
      await verifySubmissionSignature(fs, chunks(fi), { trust, at: AT });
    }
    big[big.length - 1]! ^= 0x80;
    writeFileSync(join(dir, 'changed'), big);
    await rejectsCode(
      verifySubmissionSignature(fromPath, join(dir, 'changed'), { trust, at: AT }),
      'ERR_SFTP_SIGNATURE_INVALID',
    );
  });

  it('a missing FI path is ERR_FILE_NOT_FOUND', async (t) => {
    const { pki, dir } = await setup(t);
    await rejectsCode(
      signSubmissionFile(join(dir, 'nope'), { signer: pki.rsa, signingTime: SIGNED_AT }),
      'ERR_FILE_NOT_FOUND',
    );
  });

  it('bad options are TypeErrors', async (t) => {
    const { pki, fi } = await setup(t);
    const o = { signer: pki.rsa, signingTime: SIGNED_AT };
    await assert.rejects(signSubmissionFile(fi, { ...o, digest: 'sha1' as 'sha256' }), TypeError);
    await assert.rejects(signSubmissionFile(fi, { ...o, encoding: 'pem' as 'der' }), TypeError);
    await assert.rejects(signSubmissionFile(fi, { ...o, signingTime: new Date(Number.NaN) }), TypeError);
  });
});

describe('verifySubmissionSignature refuses', () => {
  it('an FS of another file → INVALID', async (t) => {
    const { pki, dir, fi, trust } = await setup(t);
    writeFileSync(join(dir, 'other'), 'FI content\r\n');
    const other = await signSubmissionFile(join(dir, 'other'), { signer: pki.rsa, signingTime: SIGNED_AT });
    await rejectsCode(verifySubmissionSignature(other, fi, { trust, at: AT }), 'ERR_SFTP_SIGNATURE_INVALID');
  });

  it('signed attributes tampered (another signingTime, signature kept) → INVALID', async (t) => {
    const { der, fi, trust } = await setup(t);
    const tampered = reencode(der, (sd) => {
      const attr = sd.signerInfos[0]!.signedAttrs!.find((a) => a.attrType === id_signingTime)!;
      attr.attrValues = [AsnConvert.serialize(new Time(new Date('2026-06-01T00:00:00Z')))];
    });
    assert.ok(!tampered.equals(der));
    await rejectsCode(
      verifySubmissionSignature(tampered, fi, { trust, at: AT }),
      'ERR_SFTP_SIGNATURE_INVALID',
    );
  });

  it('a signature value changed by one bit → INVALID', async (t) => {
    const { der, fi, trust } = await setup(t);
    const changed = reencode(der, (sd) => {
      const sig = new Uint8Array(sd.signerInfos[0]!.signature.buffer);
      sig[10]! ^= 1;
    });
    assert.ok(!changed.equals(der));
    await rejectsCode(
      verifySubmissionSignature(changed, fi, { trust, at: AT }),
      'ERR_SFTP_SIGNATURE_INVALID',
    );
  });

  it('signed attributes without messageDigest, without contentType, or with another contentType → INVALID', async (t) => {
    const { der, fi, trust } = await setup(t);
    const drop = (type: string) =>
      reencode(der, (sd) => {
        const si = sd.signerInfos[0]!;
        si.signedAttrs = si.signedAttrs!.filter((a) => a.attrType !== type);
      });
    const otherType = reencode(der, (sd) => {
      const attr = sd.signerInfos[0]!.signedAttrs!.find((a) => a.attrType === id_contentType)!;
      attr.attrValues = [new Uint8Array(Buffer.from('06092a864886f70d010702', 'hex')).buffer];
    });
    const noAttrs = reencode(der, (sd) => {
      sd.signerInfos[0]!.signedAttrs = undefined;
    });
    const twice = reencode(der, (sd) => {
      const si = sd.signerInfos[0]!;
      si.signedAttrs = [
        ...si.signedAttrs!,
        new Attribute(si.signedAttrs!.find((a) => a.attrType === id_messageDigest)),
      ];
    });
    for (const fs of [drop(id_messageDigest), drop(id_contentType), otherType, noAttrs, twice])
      await rejectsCode(verifySubmissionSignature(fs, fi, { trust, at: AT }), 'ERR_SFTP_SIGNATURE_INVALID');
  });

  it('a digestAlgorithm that disagrees with the signature algorithm, or SHA-1/MD5 → ALGORITHM', async (t) => {
    const { der, fi, trust } = await setup(t);
    for (const oid of ['2.16.840.1.101.3.4.2.2', '1.3.14.3.2.26', '1.2.840.113549.2.5']) {
      const fs = reencode(der, (sd) => {
        sd.signerInfos[0]!.digestAlgorithm.algorithm = oid;
      });
      await rejectsCode(verifySubmissionSignature(fs, fi, { trust, at: AT }), 'ERR_SFTP_SIGNATURE_ALGORITHM');
    }
    const sha1Rsa = reencode(der, (sd) => {
      sd.signerInfos[0]!.signatureAlgorithm.algorithm = '1.2.840.113549.1.1.5'; // sha1WithRSAEncryption
    });
    await rejectsCode(
      verifySubmissionSignature(sha1Rsa, fi, { trust, at: AT }),
      'ERR_SFTP_SIGNATURE_ALGORITHM',
    );
  });

  it('a signer outside the trust, or expired / not yet valid at `at` → UNTRUSTED', async (t) => {
    const { pki, fi, trust } = await setup(t);
    const { expired, early } = await outOfDateCredentials(pki);
    for (const signer of [pki.rogue, expired, early]) {
      const fs = await signSubmissionFile(fi, { signer, signingTime: SIGNED_AT });
      await rejectsCode(verifySubmissionSignature(fs, fi, { trust, at: AT }), 'ERR_SFTP_SIGNATURE_UNTRUSTED');
    }
    // the same expired signer is accepted at a time it was valid: `at` is what is checked
    const fs = await signSubmissionFile(fi, { signer: expired, signingTime: SIGNED_AT });
    await verifySubmissionSignature(fs, fi, { trust, at: new Date('2026-05-01T00:00:00Z') });
    // a pinned signer certificate is trusted as itself
    await verifySubmissionSignature(fs, fi, {
      trust: { pinned: [expired.certificate], ca: [] },
      at: new Date('2026-05-01T00:00:00Z'),
    });
  });

  it('truncated DER, trailing bytes, garbage, empty, oversize, BER lengths → MALFORMED', async (t) => {
    const { der, fi, trust } = await setup(t);
    const ber = Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(4), Buffer.from([0, 0])]);
    const bad = [
      der.subarray(0, der.length - 1),
      der.subarray(0, 40),
      Buffer.concat([der, Buffer.from([0])]),
      Buffer.concat([Buffer.from(der.toString('base64')), Buffer.from('AAAA')]),
      Buffer.from('this is not a signature'),
      Buffer.from('MIIB IJAN'),
      Buffer.from(`-----BEGIN PKCS7-----\n${der.toString('base64')}\n-----END PKCS7-----\n`),
      Buffer.alloc(0),
      Buffer.alloc(1024 * 1024 + 1, 0x41),
      Buffer.concat([der, Buffer.alloc(1024 * 1024)]),
      ber,
      Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]),
    ];
    for (const fs of bad)
      await rejectsCode(verifySubmissionSignature(fs, fi, { trust, at: AT }), 'ERR_SFTP_SIGNATURE_MALFORMED');
  });

  it('more than 10 certificates → MALFORMED', async (t) => {
    const { pki, der, fi, trust } = await setup(t);
    const many = reencode(der, (sd) => {
      const one = sd.certificates![0]!;
      sd.certificates!.push(...Array.from({ length: 10 }, () => one));
    });
    await assert.rejects(
      verifySubmissionSignature(many, fi, { trust: [pki.ca.certificate], at: AT }),
      /more than 10/,
    );
    await rejectsCode(verifySubmissionSignature(many, fi, { trust, at: AT }), 'ERR_SFTP_SIGNATURE_MALFORMED');
  });
});

describe('decodeSubmissionSignature', () => {
  it('accepts DER and base64 on one line or wrapped with CR, LF or CRLF', async (t) => {
    const { der } = await setup(t);
    const b64 = der.toString('base64');
    for (const sep of ['\r', '\n', '\r\n'])
      for (const end of ['', sep]) {
        const wrapped = Buffer.from(`${b64.match(/.{1,76}/g)!.join(sep)}${end}`);
        assert.ok(decodeSubmissionSignature(wrapped).equals(der));
      }
    assert.ok(decodeSubmissionSignature(Buffer.from(b64)).equals(der));
    assert.ok(decodeSubmissionSignature(der).equals(der));
  });

  it('refuses other text → MALFORMED', () => {
    for (const text of ['', 'MII\tB', 'MIIB==AA', 'MIIB\n\nMIIB', 'AAAA', ' MIIB', 'MIIB\r\n\r\n'])
      throwsCode(() => decodeSubmissionSignature(Buffer.from(text)), 'ERR_SFTP_SIGNATURE_MALFORMED');
  });
});
